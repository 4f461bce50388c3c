package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * An alert: one per rule and device until it is cleared; further firings update it.
 *
 * @param status {@code OPEN}, {@code ACKNOWLEDGED} or {@code CLEARED}
 * @param count how many times it fired while open
 * @param firstTs event time of the first firing, epoch ms
 * @param lastTs event time of the latest firing, epoch ms
 * @param values the values of the latest firing
 */
@Schema(name = "Alert")
public record AlertView(
        long id,
        String rule,
        String deviceId,
        String source,
        String severity,
        String message,
        String status,
        long count,
        long firstTs,
        long lastTs,
        Instant firstFiredAt,
        Instant lastFiredAt,
        Map<String, Object> values,
        String acknowledgedBy,
        Instant acknowledgedAt,
        String clearedBy,
        Instant clearedAt) {

    /** One firing as a rule emits it (dry runs). */
    @Schema(name = "FiredAlert")
    public record Fired(String rule, String deviceId, String severity, String message, long ts,
            Map<String, Object> values) {}
}
