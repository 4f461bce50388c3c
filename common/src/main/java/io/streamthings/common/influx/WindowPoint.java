package io.streamthings.common.influx;

/**
 * The aggregates of one metric of one device over one window, as {@link WindowSeries#write} stores them. Times are
 * epoch milliseconds.
 */
public interface WindowPoint {

    /** The device's tenant. */
    String tenant();

    /** The device's type. */
    String deviceType();

    /** The device id. */
    String deviceId();

    /** The metric name. */
    String metric();

    /** Start of the window, inclusive. */
    long windowStart();

    /** Number of readings. */
    long count();

    /** Smallest reading. */
    double min();

    /** Largest reading. */
    double max();

    /** Sum of the readings. */
    double sum();

    /** sum / count. */
    double mean();

    /** The reading with the greatest event time. */
    double last();

    /** Event time of {@link #last()}. */
    long lastTs();

    /** 95th percentile of the readings (nearest rank; may be an estimate). */
    double p95();

    /** Latest ingest time among the readings. */
    long maxReceivedAt();

    /**
     * A window point from its values, e.g. a rollup of finer windows; its mean is sum / count (NaN when count is 0).
     */
    static WindowPoint of(String tenant, String deviceType, String deviceId, String metric, long windowStart,
            long count, double min, double max, double sum, double last, long lastTs, double p95,
            long maxReceivedAt) {
        return new Values(tenant, deviceType, deviceId, metric, windowStart, count, min, max, sum,
                count == 0 ? Double.NaN : sum / count, last, lastTs, p95, maxReceivedAt);
    }

    /**
     * The rollup of finer windows of one series into one window starting at {@code windowStart}: counts and sums
     * added, the least min, the greatest max, last (with its lastTs and the greatest maxReceivedAt) of the window with
     * the latest lastTs, and as p95 the greatest of the windows' p95, an upper bound of the readings' p95 (percentiles
     * do not combine exactly). Identity (tenant, type, device, metric) from the first window.
     *
     * @throws IllegalArgumentException when there is no window to roll up
     */
    static WindowPoint rollup(long windowStart, Iterable<? extends WindowPoint> windows) {
        WindowPoint first = null;
        WindowPoint latest = null;
        long count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double p95 = Double.NEGATIVE_INFINITY;
        long maxReceivedAt = Long.MIN_VALUE;
        for (WindowPoint w : windows) {
            first = first == null ? w : first;
            latest = latest == null || w.lastTs() >= latest.lastTs() ? w : latest;
            count += w.count();
            sum += w.sum();
            min = Math.min(min, w.min());
            max = Math.max(max, w.max());
            p95 = Math.max(p95, w.p95());
            maxReceivedAt = Math.max(maxReceivedAt, w.maxReceivedAt());
        }
        if (first == null) {
            throw new IllegalArgumentException("no window to roll up");
        }
        return of(first.tenant(), first.deviceType(), first.deviceId(), first.metric(), windowStart, count, min, max,
                sum, latest.last(), latest.lastTs(), p95, maxReceivedAt);
    }

    /** The plain implementation behind {@link #of}. */
    record Values(String tenant, String deviceType, String deviceId, String metric, long windowStart, long count,
            double min, double max, double sum, double mean, double last, long lastTs, double p95, long maxReceivedAt)
            implements WindowPoint {}
}
