package io.streamthings.devicemgmt.edgerules;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Where to deploy a rule's current version.
 *
 * @param devices device ids
 * @param groups group ids: every device of each
 * @param state {@code carry} (default): the new version starts with the running one's windows and patterns;
 *     {@code reset}: it starts empty
 * @param timeoutSeconds how long a device has, once the operation is delivered, to report; the operations default
 *     when absent
 */
@Schema(name = "EdgeDeploymentRequest")
public record DeploymentRequest(
        @Size(max = 100_000) List<@NotBlank @Size(max = 64) String> devices,
        @Size(max = 1_000) List<@NotBlank @Size(max = 128) String> groups,
        @Schema(allowableValues = {"carry", "reset"}) String state,
        @Min(1) @Max(30L * 24 * 3600) Long timeoutSeconds) {}
