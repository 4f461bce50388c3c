package io.streamthings.devicemgmt.policies;

import java.time.Instant;

/** A row of {@code policies}; features is the JSON text of feature code to params. */
public record PolicyRow(
        String tenant,
        String id,
        String name,
        String description,
        String deviceType,
        int priority,
        String action,
        String features,
        int version,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt) {}
