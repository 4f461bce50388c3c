package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** A device to enroll; the id is generated when absent, the owner is the caller unless an admin names another. */
@Schema(name = "EnrollRequest")
public record EnrollRequest(
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "sensor-001") String id,
        @NotBlank @Size(max = 128) @Schema(example = "Boiler room sensor") String name,
        @NotBlank @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "thermometer")
                String type,
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String owner,
        @Size(max = 100) Map<@Size(max = 64) String, Object> properties,
        @Size(max = 50) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> groups) {}
