package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A property devices of a type carry; a required one must be given at enrollment. */
@Schema(name = "PropertySpec")
public record PropertySpec(
        @NotBlank @Size(max = 64) @Schema(example = "site") String name,
        @Size(max = 1000) String description,
        boolean required) {}
