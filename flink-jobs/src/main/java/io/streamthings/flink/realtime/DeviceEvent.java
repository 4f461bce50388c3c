package io.streamthings.flink.realtime;

/**
 * An event for {@code device.events}: {@code {"type":"online"|"offline"|"seen","tenant":..,"deviceId":..,"ts":..}},
 * which the device registry folds into the device's {@code lastSeen} and {@code online}.
 *
 * @param type {@link #ONLINE}, {@link #OFFLINE} or {@link #SEEN}
 * @param tenant the device's tenant
 * @param deviceId the device id
 * @param ts when the device was last heard from (ingest time of its last record), epoch ms
 */
public record DeviceEvent(String type, String tenant, String deviceId, long ts) {

    /** The device sent a record after being offline (or for the first time this job knows of). */
    public static final String ONLINE = "online";
    /** The device has been silent longer than its offline timeout. */
    public static final String OFFLINE = "offline";
    /** The device is still sending (throttled). */
    public static final String SEEN = "seen";

    /** {@code tenant/deviceId}: the Kafka key, so a device's events stay in order. */
    public String key() {
        return tenant + "/" + deviceId;
    }
}
