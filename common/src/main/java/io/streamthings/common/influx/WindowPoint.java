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

    /** The plain implementation behind {@link #of}. */
    record Values(String tenant, String deviceType, String deviceId, String metric, long windowStart, long count,
            double min, double max, double sum, double mean, double last, long lastTs, double p95, long maxReceivedAt)
            implements WindowPoint {}
}
