package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A device type as created or replaced through the API. */
@Schema(name = "DeviceTypeSpec")
public record DeviceTypeSpec(
        @NotBlank @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "thermometer")
                String name,
        @Size(max = 1000) String description,
        @Valid @Size(max = 200) List<@Valid Feature> features,
        @Valid @Size(max = 500) List<@Valid MetricSpec> metrics,
        @Valid @Size(max = 200) List<@Valid PropertySpec> properties,
        @Size(max = 10) List<@Pattern(regexp = "^(mqtt|http)$", message = "must be mqtt or http") String> transports) {
}
