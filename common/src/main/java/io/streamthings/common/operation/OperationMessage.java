package io.streamthings.common.operation;

import java.util.Objects;

/**
 * An operation for one device on the {@code operations} topic (key {@code tenant/deviceId}): what the device is asked
 * to do, as a JSON document of the operation's own shape.
 *
 * @param tenant the device's tenant
 * @param deviceId the device
 * @param operationId unique per tenant; reported back on {@code operation.status}
 * @param payloadJson the operation itself, a JSON value (kept as text, passed on to the device unchanged)
 */
public record OperationMessage(String tenant, String deviceId, String operationId, String payloadJson) {

    public OperationMessage {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(payloadJson, "payloadJson");
    }
}
