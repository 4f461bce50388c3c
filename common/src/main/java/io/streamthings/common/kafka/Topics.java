package io.streamthings.common.kafka;

import java.util.List;

/**
 * The Kafka topics of the platform, named once. Every module takes topic names from here, never from a string literal.
 */
public final class Topics {

    /** Validated telemetry records, stamped with tenant, device type, device id and receivedAt; key {@code tenant/deviceId}. */
    public static final TopicSpec TELEMETRY_RAW = new TopicSpec("telemetry.raw", 6, false);

    /** Rejected input with its reason and the raw payload: nothing is dropped in silence. */
    public static final TopicSpec TELEMETRY_DLQ = new TopicSpec("telemetry.dlq", 2, false);

    /** Window aggregates from the real-time job. */
    public static final TopicSpec TELEMETRY_AGG = new TopicSpec("telemetry.agg", 6, false);

    /** Device lifecycle and status changes (enrolled, online, offline, blocked). */
    public static final TopicSpec DEVICE_EVENTS = new TopicSpec("device.events", 3, false);

    /** The current credential and status of every device, compacted so a reader can rebuild the whole table. */
    public static final TopicSpec DEVICE_CREDENTIALS = new TopicSpec("device.credentials", 3, true);

    /** Alerts from Siddhi apps, Flink jobs and edge devices. */
    public static final TopicSpec ALERTS = new TopicSpec("alerts", 3, false);

    /** Forecasts and anomaly scores from the predictive job. */
    public static final TopicSpec PREDICTIONS = new TopicSpec("predictions", 3, false);

    /** Operations to devices. */
    public static final TopicSpec OPERATIONS = new TopicSpec("operations", 3, false);

    /** Status reports of operations from devices. */
    public static final TopicSpec OPERATION_STATUS = new TopicSpec("operation.status", 3, false);

    /** Every topic, in the order they are created at start. */
    public static final List<TopicSpec> ALL = List.of(
            TELEMETRY_RAW,
            TELEMETRY_DLQ,
            TELEMETRY_AGG,
            DEVICE_EVENTS,
            DEVICE_CREDENTIALS,
            ALERTS,
            PREDICTIONS,
            OPERATIONS,
            OPERATION_STATUS);

    private Topics() {}

    /**
     * The Kafka key of a device's records: {@code tenant/deviceId}, so that one device's records stay in order on one
     * partition.
     *
     * @throws IllegalArgumentException when either part is null or blank
     */
    public static String deviceKey(String tenant, String deviceId) {
        if (tenant == null || tenant.isBlank() || deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("tenant and deviceId must not be blank");
        }
        return tenant + "/" + deviceId;
    }
}
