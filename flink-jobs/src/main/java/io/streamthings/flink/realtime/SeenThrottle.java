package io.streamthings.flink.realtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets through at most one sign of life per device per throttle interval, so that the presence operator receives a
 * trickle per device instead of every record (which would cost a network shuffle of the whole stream). Not state: a
 * device's records all come from one Kafka partition, hence one subtask, and after a restart the cache starts empty,
 * which only lets one extra sign through.
 *
 * <p>The cache is bounded ({@code maxDevices}, least recently used evicted); an evicted device is simply let through
 * again on its next record.
 */
public final class SeenThrottle {

    private final LinkedHashMap<String, Long> lastForwarded;

    /** @param maxDevices devices remembered at most */
    public SeenThrottle(int maxDevices) {
        this.lastForwarded = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxDevices;
            }
        };
    }

    /**
     * @param deviceKey {@code tenant/deviceId}
     * @param now processing time, ms
     * @param throttleMs the interval of this device
     * @return true when the sign of life must be forwarded
     */
    public boolean shouldForward(String deviceKey, long now, long throttleMs) {
        Long last = lastForwarded.get(deviceKey);
        if (last != null && now - last < throttleMs && now >= last) {
            return false;
        }
        lastForwarded.put(deviceKey, now);
        return true;
    }

    /** Devices currently remembered. */
    public int size() {
        return lastForwarded.size();
    }
}
