package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code roles}. */
public record RoleRow(String tenant, String name, String[] scopes, Instant createdAt) {}
