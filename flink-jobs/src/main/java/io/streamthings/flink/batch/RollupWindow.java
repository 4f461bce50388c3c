package io.streamthings.flink.batch;

import io.streamthings.common.influx.WindowPoint;

/**
 * One window of one series as the batch job carries it: read from a finer series, or the rollup of several of those.
 * A plain record of {@link WindowPoint}'s values so that Flink serializes it as a POJO.
 *
 * @param tenant the device's tenant
 * @param deviceType the device's type
 * @param deviceId the device
 * @param metric the metric
 * @param windowStart start of the window, epoch ms
 * @param count readings
 * @param min least reading
 * @param max greatest reading
 * @param sum sum of the readings
 * @param last the reading with the greatest event time
 * @param lastTs event time of {@code last}, epoch ms
 * @param p95 95th percentile (an upper bound once rolled up), NaN when unknown
 * @param maxReceivedAt latest ingest time among the readings, epoch ms
 */
public record RollupWindow(String tenant, String deviceType, String deviceId, String metric, long windowStart,
        long count, double min, double max, double sum, double last, long lastTs, double p95, long maxReceivedAt)
        implements WindowPoint {

    @Override
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The same values in the window starting at {@code start}. */
    public RollupWindow withWindowStart(long start) {
        return new RollupWindow(tenant, deviceType, deviceId, metric, start, count, min, max, sum, last, lastTs, p95,
                maxReceivedAt);
    }

    /** The key of the series and window: windows with equal keys roll up into one point. */
    public String rollupKey() {
        return tenant + '\u0000' + deviceType + '\u0000' + deviceId + '\u0000' + metric + '\u0000' + windowStart;
    }
}
