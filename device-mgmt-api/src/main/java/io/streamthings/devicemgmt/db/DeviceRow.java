package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code devices} with the ids of the groups it belongs to. */
public record DeviceRow(
        String tenant,
        String id,
        String name,
        String type,
        String owner,
        String status,
        String properties,
        byte[] tokenSalt,
        byte[] tokenHash,
        Instant lastSeen,
        boolean online,
        Instant createdAt,
        Instant updatedAt,
        String[] groups) {}
