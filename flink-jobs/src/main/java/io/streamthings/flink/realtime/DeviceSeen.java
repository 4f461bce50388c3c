package io.streamthings.flink.realtime;

import io.streamthings.common.kafka.DeviceKey;

/**
 * A sign of life of a device, sent to the presence operator (at most about one per device per second, see
 * {@link SeenThrottle}).
 *
 * @param tenant the device's tenant
 * @param deviceId the device id
 * @param receivedAt when ingest received the record, epoch ms
 * @param offlineAfterMs the silence after which this device is offline, ms
 */
public record DeviceSeen(String tenant, String deviceId, long receivedAt, long offlineAfterMs) {

    /** {@code tenant/deviceId}. */
    public String key() {
        return DeviceKey.of(tenant, deviceId).toString();
    }
}
