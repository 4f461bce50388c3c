package io.streamthings.common.operation;

/**
 * A step of an operation on the {@code operation.status} topic (key {@code tenant/deviceId}).
 *
 * @param tenant the device's tenant
 * @param deviceId the device
 * @param operationId the operation
 * @param status {@code DELIVERED} once the device acknowledged it (from ingest); from the device's own report
 *     ({@code devices/{id}/operations/{opId}/status}) {@code IN_PROGRESS}, {@code COMPLETED}, {@code ERROR},
 *     {@code REJECTED}; the operations service judges whether the step is allowed
 * @param ts when, epoch ms
 * @param responseJson the device's response, a JSON value kept as text, or null
 */
public record OperationStatus(String tenant, String deviceId, String operationId, String status, long ts,
        String responseJson) {

    /** The device acknowledged the operation (its MQTT PUBACK). */
    public static final String DELIVERED = "DELIVERED";

    /** A step without a response (the transport's DELIVERED). */
    public OperationStatus(String tenant, String deviceId, String operationId, String status, long ts) {
        this(tenant, deviceId, operationId, status, ts, null);
    }
}
