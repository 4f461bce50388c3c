package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A device as the API shows it; never its token. */
@Schema(name = "Device")
public record DeviceView(
        String id,
        String name,
        String type,
        String owner,
        @Schema(allowableValues = {"ACTIVE", "INACTIVE", "BLOCKED", "REMOVED"}) String status,
        Map<String, Object> properties,
        List<String> groups,
        @Schema(description = "when the stream last saw the device; null if never") Instant lastSeen,
        boolean online,
        Instant createdAt,
        Instant updatedAt) {}
