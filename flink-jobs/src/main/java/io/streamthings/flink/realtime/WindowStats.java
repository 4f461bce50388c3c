package io.streamthings.flink.realtime;

import java.util.Arrays;

/**
 * The running aggregate of one window series: count, sum, min, max, the latest reading by event time, and a bounded
 * sample for the 95th percentile. Pure Java, no Flink: the window's {@code AggregateFunction} only delegates here.
 *
 * <p>The percentile stays cheap: every reading is kept up to {@link #SAMPLE_CAPACITY} per window (the common case, a
 * device reporting every second fills 60), so p95 is exact there. Beyond that the sample is thinned to every 2nd,
 * 4th, ... reading in arrival order, a deterministic systematic sample of at most {@link #SAMPLE_CAPACITY} values, so
 * state per window stays bounded (2 KiB) and p95 becomes an estimate.
 *
 * <p>Public mutable fields and a no-argument constructor make this a Flink POJO, kept in window state.
 */
public final class WindowStats {

    /** Readings kept for the percentile before the sample is thinned. */
    public static final int SAMPLE_CAPACITY = 256;

    /** Number of readings. */
    public long count;
    /** Sum of the readings. */
    public double sum;
    /** Smallest reading; +inf while empty. */
    public double min = Double.POSITIVE_INFINITY;
    /** Largest reading; -inf while empty. */
    public double max = Double.NEGATIVE_INFINITY;
    /** Reading with the greatest event time. */
    public double last;
    /** Event time of {@link #last}, epoch ms; Long.MIN_VALUE while empty. */
    public long lastTs = Long.MIN_VALUE;
    /** Latest ingest time among the readings, epoch ms. */
    public long maxReceivedAt = Long.MIN_VALUE;
    /** The device type of the series (constant per series). */
    public String deviceType;
    /** The percentile sample; only the first {@link #sampleSize} entries are used. */
    public double[] sample = new double[0];
    /** Entries used in {@link #sample}. */
    public int sampleSize;
    /** Keep one reading in this many; doubles each time the sample is thinned. */
    public int stride = 1;

    /** An empty aggregate. */
    public WindowStats() {
    }

    /** Adds one reading; returns this. */
    public WindowStats add(double value, long ts, long receivedAt, String type) {
        if (deviceType == null) {
            deviceType = type;
        }
        count++;
        sum += value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        // ">=": on an equal event time the later arrival wins, as a replay in Kafka order would decide again.
        if (ts >= lastTs) {
            lastTs = ts;
            last = value;
        }
        if (receivedAt > maxReceivedAt) {
            maxReceivedAt = receivedAt;
        }
        if ((count - 1) % stride == 0) {
            keep(value);
        }
        return this;
    }

    /** Adds the readings of a batch one by one, in their order, exactly as {@link #add} would; returns this. */
    public WindowStats addAll(SeriesBatch batch) {
        double[] values = batch.values();
        long[] ts = batch.ts();
        long[] receivedAt = batch.receivedAt();
        for (int i = 0; i < values.length; i++) {
            add(values[i], ts[i], receivedAt[i], batch.deviceType());
        }
        return this;
    }

    /** Adds every reading of another aggregate into this one (for merging windows); returns this. */
    public WindowStats merge(WindowStats other) {
        if (other.count == 0) {
            return this;
        }
        if (deviceType == null) {
            deviceType = other.deviceType;
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        if (other.lastTs >= lastTs) {
            lastTs = other.lastTs;
            last = other.last;
        }
        maxReceivedAt = Math.max(maxReceivedAt, other.maxReceivedAt);
        stride = Math.max(stride, other.stride);
        for (int i = 0; i < other.sampleSize; i++) {
            keep(other.sample[i]);
        }
        return this;
    }

    /** The mean, or NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The 95th percentile by nearest rank over the sample, or NaN when empty. */
    public double p95() {
        return percentile(Arrays.copyOf(sample, sampleSize), 0.95);
    }

    /**
     * The nearest-rank percentile: the smallest value such that at least {@code q} of the values are at or below it.
     *
     * @param values sorted in place
     * @param q in (0, 1]
     * @return NaN for no values
     */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(q * values.length);
        return values[Math.max(0, rank - 1)];
    }

    /** The aggregate of a window series as it is emitted. */
    public WindowAggregate toAggregate(String tenant, String deviceId, String metric, long windowStart, long windowEnd,
            int firing) {
        return new WindowAggregate(tenant, deviceType, deviceId, metric, windowStart, windowEnd, count, min, max, sum,
                mean(), last, lastTs, p95(), firing, maxReceivedAt);
    }

    private void keep(double value) {
        if (sampleSize == SAMPLE_CAPACITY) {
            // Thin to every other kept reading: the sample stays a systematic one of every (2 * stride)-th reading.
            for (int i = 0; i < SAMPLE_CAPACITY / 2; i++) {
                sample[i] = sample[2 * i];
            }
            sampleSize = SAMPLE_CAPACITY / 2;
            stride *= 2;
            // The reading that found the sample full is number SAMPLE_CAPACITY * oldStride (0-based): a multiple of
            // the new stride, so it belongs to the thinned sample too.
        }
        if (sampleSize == sample.length) {
            sample = Arrays.copyOf(sample, Math.min(SAMPLE_CAPACITY, Math.max(8, sample.length * 2)));
        }
        sample[sampleSize++] = value;
    }
}
