package io.streamthings.common.operation;

/**
 * A step of an operation on the {@code operation.status} topic (key {@code tenant/deviceId}).
 *
 * @param tenant the device's tenant
 * @param deviceId the device
 * @param operationId the operation
 * @param status {@code DELIVERED} once the device acknowledged it; later steps belong to the operations service
 * @param ts when, epoch ms
 * @param responseJson what the device answered with the status (a JSON value kept as text, e.g. an edge runtime's
 *     error with line and column), null when none
 */
public record OperationStatus(String tenant, String deviceId, String operationId, String status, long ts,
        String responseJson) {

    /** A status without a response. */
    public OperationStatus(String tenant, String deviceId, String operationId, String status, long ts) {
        this(tenant, deviceId, operationId, status, ts, null);
    }

    /** The device acknowledged the operation (its MQTT PUBACK). */
    public static final String DELIVERED = "DELIVERED";
}
