package io.streamthings.devicemgmt.policies;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * How the devices that take at least one feature from a policy comply with it: a device is non-compliant when any of
 * those features is, else pending when any is, else compliant. Only devices the caller may act on are counted.
 */
@Schema(name = "ComplianceSummary")
public record ComplianceSummary(String policyId, long devices, long compliant, long nonCompliant, long pending,
        List<NonCompliantDevice> nonCompliantDevices) {

    /** A device and the policy's features it does not comply with. */
    @Schema(name = "NonCompliantDevice")
    public record NonCompliantDevice(String deviceId, List<String> features, Instant reportedAt) {}
}
