package io.streamthings.ingest.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per device, counted in records. A request is let through when the bucket holds enough for it (a
 * batch larger than the bucket needs a full bucket) and then takes all it needs, going into debt if it must, so a
 * large batch slows its sender down afterwards instead of never passing.
 */
public final class DeviceRateLimiter {

    private final double perSecond;
    private final double capacity;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param recordsPerSecond the sustained rate per device
     * @param burst the bucket size: the most records a rested device may send at once
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public DeviceRateLimiter(double recordsPerSecond, long burst, LongSupplier nanoClock) {
        if (recordsPerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.perSecond = recordsPerSecond;
        this.capacity = burst;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes {@code records} from the device's bucket.
     *
     * @return 0 when allowed, else how many whole seconds to wait before trying again (at least 1)
     */
    public long tryAcquire(String deviceKey, int records) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(deviceKey, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.refill(now, perSecond, capacity);
            double needed = Math.min(records, capacity);
            if (bucket.tokens >= needed) {
                bucket.tokens -= records;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((needed - bucket.tokens) / perSecond));
        }
    }

    /** Devices with a bucket; buckets are small and bounded by the number of devices. */
    public int size() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, double perSecond, double capacity) {
            tokens = Math.min(capacity, tokens + (now - at) / 1e9 * perSecond);
            at = now;
        }
    }
}
