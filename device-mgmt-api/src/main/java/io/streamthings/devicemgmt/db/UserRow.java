package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code users}, with the roles aggregated from {@code user_roles}. */
public record UserRow(
        String username, String tenant, String passwordHash, String[] roles, Instant createdAt, Instant updatedAt) {}
