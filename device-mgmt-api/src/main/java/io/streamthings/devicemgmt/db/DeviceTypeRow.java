package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code device_types}; features, metrics, properties and transports are JSON text. */
public record DeviceTypeRow(
        String tenant,
        String name,
        String description,
        String features,
        String metrics,
        String properties,
        String transports,
        Instant createdAt,
        Instant updatedAt) {}
