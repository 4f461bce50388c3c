package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code device_groups} with the roles it is shared with and its device count. */
public record GroupRow(
        String tenant,
        String id,
        String name,
        String description,
        String owner,
        Instant createdAt,
        String[] roles,
        long deviceCount) {}
