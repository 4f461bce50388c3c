package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code activities}: who did what to which target, when. */
public record ActivityRow(
        long id, String tenant, String actor, String action, String targetType, String targetId, String details,
        Instant at) {}
