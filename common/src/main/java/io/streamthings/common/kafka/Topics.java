package io.streamthings.common.kafka;

import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceCredentialCodec;
import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEventCodec;
import java.util.List;

/**
 * The Kafka topics of the platform, named once. Every module takes topic names from here, never from a string literal.
 * A topic whose records have a codec in {@code common} is a {@link Topic} bound to its key and value codecs; writers
 * and readers encode and decode through it.
 */
public final class Topics {

    /** Validated telemetry records, stamped with tenant, device type, device id and receivedAt; key {@code tenant/deviceId}. */
    public static final TopicSpec TELEMETRY_RAW = new TopicSpec("telemetry.raw", 6, false);

    /** Rejected input with its reason and the raw payload: nothing is dropped in silence. */
    public static final TopicSpec TELEMETRY_DLQ = new TopicSpec("telemetry.dlq", 2, false);

    /** Window aggregates from the real-time job. */
    public static final TopicSpec TELEMETRY_AGG = new TopicSpec("telemetry.agg", 6, false);

    /**
     * Device lifecycle (enrolled, status changed, token rotated, updated, removed) and presence (online, offline, seen)
     * events; key {@code tenant/deviceId}.
     */
    public static final Topic<DeviceKey, DeviceEvent> DEVICE_EVENTS = new Topic<>(
            new TopicSpec("device.events", 3, false), DeviceKey.CODEC, DeviceEventCodec.INSTANCE);

    /**
     * The current credential and status of every device, compacted so a reader can rebuild the whole table; key
     * {@code tenant/deviceId}, a tombstone withdraws the device.
     */
    public static final Topic<DeviceKey, DeviceCredential> DEVICE_CREDENTIALS = new Topic<>(
            new TopicSpec("device.credentials", 3, true), DeviceKey.CODEC,
            Codec.of(DeviceCredentialCodec::encode, DeviceCredentialCodec::decode));

    /**
     * Alerts from Siddhi apps, Flink jobs and edge devices; key {@code tenant/deviceId}, or {@code tenant/rule} for an
     * alert of no device ({@link AlertEvent#kafkaKey()}), hence a plain string.
     */
    public static final Topic<String, AlertEvent> ALERTS = new Topic<>(
            new TopicSpec("alerts", 3, false), Codec.UTF8, Codec.of(AlertCodec::encode, AlertCodec::decode));

    /**
     * Alerts the platform could not take (beyond their bounds, or refused by the store), as dead letters with the
     * reason and the alert's JSON: a poison alert is set aside here instead of stalling every tenant's alerts.
     */
    public static final TopicSpec ALERTS_DLQ = new TopicSpec("alerts.dlq", 2, false);

    /** Forecasts and anomaly scores from the predictive job. */
    public static final TopicSpec PREDICTIONS = new TopicSpec("predictions", 3, false);

    /** Operations to devices. */
    public static final TopicSpec OPERATIONS = new TopicSpec("operations", 3, false);

    /** Status reports of operations from devices. */
    public static final TopicSpec OPERATION_STATUS = new TopicSpec("operation.status", 3, false);

    /** Deployed server-side rule apps, the latest version per {@code tenant/name}; a tombstone undeploys. */
    public static final TopicSpec RULES = new TopicSpec("rules", 1, true);

    /** Per-rule counters and deployment errors from each rules-service instance; key {@code tenant/name/instance}. */
    public static final TopicSpec RULE_STATUS = new TopicSpec("rule.status", 1, true);

    /**
     * Snapshots of the rules service's Siddhi state per input partition, with the offset they cover, so that a
     * restart or a rebalance resumes half-matched patterns. Records are large, hence the raised limit.
     */
    public static final TopicSpec RULES_STATE = new TopicSpec("rules.state", 1, true, 64 * 1024 * 1024);

    /**
     * Telemetry of tenants that have rules correlating several devices, re-keyed by tenant by the rules service, so
     * that one runtime of such a rule sees all of its tenant's devices; key {@code tenant}.
     */
    public static final TopicSpec RULES_BY_TENANT = new TopicSpec("rules.by-tenant", 6, false);

    /**
     * The last sequence the platform took from each edge runtime's store-and-forward queue, key
     * {@code tenant/deviceId}, value {@code epoch:seq}: ingest reads it back at start, so a resend after an ingest
     * restart is still dropped.
     */
    public static final TopicSpec EDGE_SEQUENCES = new TopicSpec("edge.sequences", 3, true);

    /** The latest health report of each edge runtime, key {@code tenant/deviceId}, stamped by ingest. */
    public static final TopicSpec EDGE_STATUS = new TopicSpec("edge.status", 3, true);

    /** Every topic, in the order they are created at start. */
    public static final List<TopicSpec> ALL = List.of(
            TELEMETRY_RAW,
            TELEMETRY_DLQ,
            TELEMETRY_AGG,
            DEVICE_EVENTS,
            DEVICE_CREDENTIALS,
            ALERTS,
            ALERTS_DLQ,
            PREDICTIONS,
            OPERATIONS,
            OPERATION_STATUS,
            RULES,
            RULE_STATUS,
            RULES_STATE,
            RULES_BY_TENANT,
            EDGE_SEQUENCES,
            EDGE_STATUS);

    private Topics() {}

    /**
     * The Kafka key of a device's records: {@code tenant/deviceId}, so that one device's records stay in order on one
     * partition.
     *
     * @throws IllegalArgumentException when either part is null or blank
     */
    public static String deviceKey(String tenant, String deviceId) {
        return DeviceKey.of(tenant, deviceId).toString();
    }
}
