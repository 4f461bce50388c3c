package io.streamthings.devicemgmt.policies;

import java.time.Instant;

/** A device's compliance with one feature of its effective policy. */
public record ComplianceRow(String deviceId, String feature, String policyId, String state, Instant reportedAt) {}
