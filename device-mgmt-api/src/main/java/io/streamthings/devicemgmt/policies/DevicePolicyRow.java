package io.streamthings.devicemgmt.policies;

import java.time.Instant;

/** The effective policy last pushed to a device. */
public record DevicePolicyRow(String deviceId, String effective, String digest, int version, String operationId,
        Instant pushedAt, int enforcements) {}
