package io.streamthings.simulator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Publish-to-acknowledgement latencies in buckets of 100 µs up to 30 s (and one for longer), safe to record from
 * the clients' callback threads while another thread reads percentiles. Fixed size: a run of any length costs 2.4 MB.
 */
final class LatencyRecorder {

    private static final long BUCKET_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int BUCKETS = 300_001;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nanos / BUCKET_NANOS)));
    }

    /** A copy of the counts, to compare with a later one. */
    long[] snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    /**
     * @param now a snapshot
     * @param before an earlier snapshot, or null for everything recorded
     * @param q the quantile, 0..1
     * @return the latency in ms below which that share of the interval's samples fell, or NaN when there were none
     */
    static double quantileMs(long[] now, long[] before, double q) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += now[i] - (before == null ? 0 : before[i]);
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += now[i] - (before == null ? 0 : before[i]);
            if (seen >= Math.max(1, rank)) {
                return (i + 1) * BUCKET_NANOS / 1e6; // the bucket's upper edge: never flatters
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
