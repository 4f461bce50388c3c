package io.streamthings.flink.batch;

/**
 * One presence event of {@code device.events} as the availability job carries it: whether the device was up (online
 * or seen) or down (offline) from {@code ts} on. A plain record so that Flink serializes it as a POJO.
 *
 * @param tenant the device's tenant
 * @param deviceId the device
 * @param ts when, epoch ms
 * @param up true for online and seen, false for offline
 * @param seq the event's place among the device's events at equal {@code ts} (its Kafka offset): keeps ties in the
 *     order they were written
 */
public record PresenceChange(String tenant, String deviceId, long ts, boolean up, long seq) {

    /** The key of the device. */
    public String deviceKey() {
        return tenant + '/' + deviceId;
    }
}
