package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * An operation to many devices (a group or a list): its progress and how many of its operations are in each state.
 *
 * @param status RUNNING, COMPLETED (every operation finished), ABORTED (the abort threshold was crossed) or CANCELLED
 * @param released operations handed to the transport so far
 * @param finished operations in a final state
 * @param progress finished / total, 0 to 1
 * @param failedPercent the share that failed (ERROR, REJECTED, TIMED_OUT, EXPIRED) of the finished ones not CANCELLED
 *     or SUPERSEDED, 0 to 100; what the abort threshold is compared with
 * @param counts operations per state, every state present
 */
@Schema(name = "Rollout")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutView(
        String id,
        OperationKind kind,
        String code,
        String targetType,
        String targetId,
        String status,
        int total,
        long released,
        long finished,
        double progress,
        double failedPercent,
        Map<OperationState, Long> counts,
        Integer batchSize,
        Integer ratePerMinute,
        Double abortThresholdPercent,
        String reason,
        String createdBy,
        Instant createdAt,
        Instant finishedAt) {}
