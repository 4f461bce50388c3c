package io.streamthings.devicemgmt.db;

/** What is inserted when a device is enrolled; {@code properties} is JSON text. */
public record NewDeviceRow(
        String tenant,
        String id,
        String name,
        String type,
        String owner,
        String status,
        String properties,
        byte[] tokenSalt,
        byte[] tokenHash) {}
