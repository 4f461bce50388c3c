package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** Changes to a device; an absent field is left as it is. */
@Schema(name = "DeviceUpdate")
public record DeviceUpdate(
        @Size(min = 1, max = 128) String name,
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String owner,
        @Pattern(regexp = "^(ACTIVE|INACTIVE|BLOCKED|REMOVED)$",
                message = "must be ACTIVE, INACTIVE, BLOCKED or REMOVED") String status,
        @Size(max = 100) Map<@Size(max = 64) String, Object> properties) {}
