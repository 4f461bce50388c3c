package io.streamthings.devicemgmt.analytics;

import io.streamthings.common.kafka.DeviceKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Records per second each tenant sends into telemetry.raw, over the last seconds. Counted from the Kafka keys
 * ({@code tenant/deviceId}), so the live-stream consumer that already reads every record pays no decoding for it.
 * Counting starts when this instance does: until a window has passed, the rate is over the time since.
 */
public final class IngestRate {

    /** The longest window a rate may be asked over. */
    public static final int MAX_WINDOW_SECONDS = 60;

    private final Map<String, Counter> tenants = new ConcurrentHashMap<>();
    private final LongSupplier clockMillis;
    private final long startSecond;

    /** Counts on the given clock (epoch ms). */
    public IngestRate(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.startSecond = clockMillis.getAsLong() / 1000;
    }

    /** Counts one record of telemetry.raw by its key; a key without a tenant is not counted. */
    public void count(String key) {
        DeviceKey.tryParse(key).ifPresent(k -> tenants.computeIfAbsent(k.tenant(), t -> new Counter())
                .add(clockMillis.getAsLong() / 1000));
    }

    /**
     * The tenant's records per second over the last complete seconds, at most {@code windowSeconds} of them and not
     * before this instance started.
     *
     * @return the rate, and the seconds it was taken over (at least 1)
     */
    public Rate rate(String tenant, int windowSeconds) {
        if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
            throw new IllegalArgumentException("windowSeconds must be 1 to " + MAX_WINDOW_SECONDS);
        }
        long now = clockMillis.getAsLong() / 1000;
        // the current second is still filling: the window ends before it
        int seconds = (int) Math.max(1, Math.min(windowSeconds, now - startSecond));
        Counter counter = tenants.get(tenant);
        long records = counter == null ? 0 : counter.sum(now - seconds, now);
        return new Rate((double) records / seconds, seconds);
    }

    /**
     * @param recordsPerSecond the mean rate over the window
     * @param windowSeconds the seconds it was taken over
     */
    public record Rate(double recordsPerSecond, int windowSeconds) {}

    /** A ring of per-second counts; each slot remembers which second it holds, so stale slots count for nothing. */
    private static final class Counter {
        private final long[] seconds = new long[MAX_WINDOW_SECONDS + 1];
        private final long[] counts = new long[MAX_WINDOW_SECONDS + 1];

        synchronized void add(long second) {
            int i = (int) (second % seconds.length);
            if (seconds[i] != second) {
                seconds[i] = second;
                counts[i] = 0;
            }
            counts[i]++;
        }

        /** Records in the seconds from, inclusive, to to, exclusive. */
        synchronized long sum(long from, long to) {
            long sum = 0;
            for (int i = 0; i < seconds.length; i++) {
                if (seconds[i] >= from && seconds[i] < to) {
                    sum += counts[i];
                }
            }
            return sum;
        }
    }
}
