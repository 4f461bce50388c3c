package io.streamthings.devicemgmt.edgerules;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** What a deployment created: the version sent, the rollout (several devices) and the operation per device. */
@Schema(name = "EdgeDeploymentResult")
public record DeploymentResult(String ruleId, long version, String state, String rolloutId,
        Map<String, String> operations) {}
