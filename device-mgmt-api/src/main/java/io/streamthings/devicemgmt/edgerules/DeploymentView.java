package io.streamthings.devicemgmt.edgerules;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A rule on one device: the latest version deployed to it and how that went.
 *
 * @param version the version of the latest deployment
 * @param stateMode {@code carry} or {@code reset}, as deployed
 * @param state IN_PROGRESS (operation PENDING, SENT, DELIVERED, IN_PROGRESS), RUNNING (COMPLETED), FAILED (ERROR or
 *     REJECTED: {@code reason} says why), TIMED_OUT, EXPIRED or CANCELLED
 * @param reason the runtime's reason for a failure, e.g. {@code line 3, column 17: ...}
 * @param runningVersion the version the device last confirmed running (null when none)
 */
@Schema(name = "EdgeDeployment")
public record DeploymentView(String deviceId, long version, String stateMode, String state, String operationId,
        String operationStatus, String reason, Long runningVersion, Instant updatedAt) {}
