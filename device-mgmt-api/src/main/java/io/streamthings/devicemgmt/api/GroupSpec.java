package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A group to create or change; the id is generated when absent and cannot change. */
@Schema(name = "GroupSpec")
public record GroupSpec(
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "plant-a") String id,
        @NotBlank @Size(max = 128) @Schema(example = "Plant A") String name,
        @Size(max = 1000) String description) {}
