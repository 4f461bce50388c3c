package io.streamthings.devicemgmt.operations;

import java.time.Instant;

/** A row of {@code operations}; params and response are JSON text. */
public record OperationRow(
        String tenant,
        String id,
        long seq,
        String deviceId,
        String rolloutId,
        String kind,
        String code,
        String params,
        boolean oneWay,
        String idempotencyKey,
        String status,
        boolean released,
        String response,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt,
        int sendCount,
        Instant deliveredAt,
        Instant finishedAt,
        Instant expiresAt,
        long timeoutMs,
        Instant deadlineAt) {

    OperationState state() {
        return OperationState.valueOf(status);
    }
}
