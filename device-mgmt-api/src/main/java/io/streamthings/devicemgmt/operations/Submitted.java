package io.streamthings.devicemgmt.operations;

import java.util.Map;

/**
 * What {@link OperationService#submit} created.
 *
 * @param rolloutId the rollout, null when a single device was asked for without a rollout
 * @param operationIds the operation per device id, in the order the devices were given
 */
public record Submitted(String rolloutId, Map<String, String> operationIds) {}
