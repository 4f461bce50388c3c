package io.streamthings.common.telemetry;

import io.streamthings.common.kafka.Topics;
import java.util.Objects;

/**
 * A telemetry record stamped by ingest with the identity of the authenticated device and the time it arrived: the
 * value of the {@code telemetry.raw} topic.
 *
 * <p>Wire form, flat (see {@link TelemetryCodec#encodeStamped}):
 * <pre>{"tenant":"acme","deviceType":"thermostat","deviceId":"t-17","receivedAt":1764131000456,
 * "ts":1764131000123,"metrics":{"temperature":21.5},"tags":{"site":"plant-a"}}</pre>
 *
 * @param tenant the tenant that owns the device
 * @param deviceType the name of the device's type
 * @param deviceId the device id, unique within the tenant
 * @param receivedAt when ingest received the record, epoch milliseconds (UTC)
 * @param record what the device sent
 */
public record StampedTelemetry(String tenant, String deviceType, String deviceId, long receivedAt,
        TelemetryRecord record) {

    /**
     * @throws IllegalArgumentException when tenant, deviceType or deviceId is null or blank
     * @throws NullPointerException when record is null
     */
    public StampedTelemetry {
        DeviceIdentity.requireNonBlank(tenant, "tenant");
        DeviceIdentity.requireNonBlank(deviceType, "deviceType");
        DeviceIdentity.requireNonBlank(deviceId, "deviceId");
        Objects.requireNonNull(record, "record");
    }

    /**
     * Stamps a record with the identity of the device that sent it.
     *
     * @param receivedAt when ingest received the record, epoch milliseconds (UTC)
     * @throws NullPointerException when identity or record is null
     */
    public static StampedTelemetry stamp(DeviceIdentity identity, TelemetryRecord record, long receivedAt) {
        Objects.requireNonNull(identity, "identity");
        return new StampedTelemetry(identity.tenant(), identity.deviceType(), identity.deviceId(), receivedAt, record);
    }

    /** The identity of the device that sent the record. */
    public DeviceIdentity identity() {
        return new DeviceIdentity(tenant, deviceType, deviceId);
    }

    /** The Kafka key of the record, {@code tenant/deviceId}, so that a device's records stay in order. */
    public String key() {
        return Topics.deviceKey(tenant, deviceId);
    }
}
