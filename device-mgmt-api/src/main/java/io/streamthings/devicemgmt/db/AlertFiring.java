package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** One firing of an alert to fold into {@code alerts}; values are JSON text. */
public record AlertFiring(String tenant, String rule, String deviceId, String dedupKey, String source,
        String severity, String message, long ts, Instant firedAt, String values) {}
