package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An operation a device type supports, with the JSON schema of its parameters. */
@Schema(name = "Feature")
public record Feature(
        @NotBlank @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "reboot")
                String code,
        @Size(max = 128) @Schema(example = "Reboot") String name,
        @Size(max = 1000) String description,
        @Schema(description = "JSON schema of the operation's params", example = "{\"type\":\"object\"}")
                ObjectNode params) {}
