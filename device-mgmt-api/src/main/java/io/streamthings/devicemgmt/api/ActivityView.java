package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One entry of the audit log: who did what to which target, and when. */
@Schema(name = "Activity")
public record ActivityView(
        long id,
        @Schema(example = "admin") String actor,
        @Schema(example = "device.enroll") String action,
        @Schema(example = "device") String targetType,
        @Schema(example = "sensor-001") String targetId,
        JsonNode details,
        Instant at) {}
