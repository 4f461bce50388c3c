package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code alerts}; values are JSON text. */
public record AlertRow(
        long id,
        String tenant,
        String rule,
        String deviceId,
        String source,
        String severity,
        String message,
        String status,
        long fireCount,
        long firstTs,
        long lastTs,
        Instant firstFiredAt,
        Instant lastFiredAt,
        String alertValues,
        String acknowledgedBy,
        Instant acknowledgedAt,
        String clearedBy,
        Instant clearedAt) {}
