package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code rules}. */
public record RuleRow(
        String tenant,
        String name,
        int version,
        String app,
        String description,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt) {}
