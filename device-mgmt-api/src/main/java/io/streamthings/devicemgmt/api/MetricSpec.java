package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A telemetry metric a device type sends: its name, unit, type and expected range. */
@Schema(name = "Metric")
public record MetricSpec(
        @NotBlank @Pattern(regexp = "^[A-Za-z_][A-Za-z0-9_]{0,63}$", message = "must be an identifier") @Schema(
                example = "temperature") String name,
        @Size(max = 32) @Schema(example = "°C") String unit,
        @Pattern(regexp = "^(number|integer|boolean|string)$", message = "must be number, integer, boolean or string")
                @Schema(example = "number", defaultValue = "number") String type,
        Double min,
        Double max) {}
