package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A device's effective policy: per feature, the params of the policy that won and the device's compliance.
 *
 * @param version 0 while nothing was ever pushed to the device; grows with every change pushed
 * @param operationId the POLICY operation that last carried it, null before the first push
 * @param conflicts equal priorities on one feature that arose after the fact (settled by the smaller policy id)
 */
@Schema(name = "EffectivePolicy")
public record EffectivePolicyView(String deviceId, String deviceType, int version, String operationId,
        Instant pushedAt, Map<String, Feature> features, List<PolicyMerge.Conflict> conflicts) {

    /** One feature of the effective policy. */
    @Schema(name = "EffectivePolicyFeature")
    public record Feature(String policyId, int priority, JsonNode params, ComplianceState compliance,
            Instant reportedAt) {}
}
