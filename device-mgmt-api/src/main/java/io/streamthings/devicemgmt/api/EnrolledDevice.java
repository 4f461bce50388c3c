package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A device just enrolled, with its token: the only time the token is shown. */
@Schema(name = "EnrolledDevice")
public record EnrolledDevice(
        String id,
        @Schema(description = "the device token; shown only here, stored only as a salted hash") String token,
        String name,
        String type,
        String owner,
        String status,
        Map<String, Object> properties,
        List<String> groups,
        Instant lastSeen,
        boolean online,
        Instant createdAt,
        Instant updatedAt) {

    public static EnrolledDevice of(DeviceView d, String token) {
        return new EnrolledDevice(d.id(), token, d.name(), d.type(), d.owner(), d.status(), d.properties(),
                d.groups(), d.lastSeen(), d.online(), d.createdAt(), d.updatedAt());
    }
}
