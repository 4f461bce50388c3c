package io.streamthings.devicemgmt.operations;

import java.time.Instant;

/** A row of {@code operation_rollouts}. */
public record RolloutRow(
        String tenant,
        String id,
        String kind,
        String code,
        String targetType,
        String targetId,
        String status,
        int total,
        Integer batchSize,
        Integer ratePerMinute,
        Double abortPercent,
        String reason,
        String createdBy,
        Instant createdAt,
        Instant finishedAt) {}
