package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamthings.devicemgmt.api.Validation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** A policy to create or replace; the id is generated when absent and cannot change. */
@Schema(name = "PolicySpec")
public record PolicySpec(
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "quiet-nights") String id,
        @NotBlank @Size(max = 128) @Schema(example = "Quiet nights") String name,
        @Size(max = 1000) String description,
        @NotBlank @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "thermostat",
                description = "the device type whose features it configures") String deviceType,
        @NotNull @Min(-1_000_000) @Max(1_000_000) @Schema(example = "10",
                description = "higher wins where two policies configure one feature") Integer priority,
        @Schema(description = "on non-compliance: ENFORCE (push again), WARN (alert) or MONITOR; default ENFORCE")
                PolicyAction action,
        @NotNull @Size(max = 100) @Schema(description = "feature code -> params, checked against the feature's schema",
                example = "{\"set-interval\":{\"seconds\":60}}") Map<String, JsonNode> features,
        @Valid PolicyAssignments assignments) {

    public PolicyAction actionOrDefault() {
        return action == null ? PolicyAction.ENFORCE : action;
    }

    public PolicyAssignments assignmentsOrNone() {
        return assignments == null ? PolicyAssignments.none() : assignments;
    }
}
