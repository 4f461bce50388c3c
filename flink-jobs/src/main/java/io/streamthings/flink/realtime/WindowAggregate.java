package io.streamthings.flink.realtime;

import io.streamthings.common.influx.WindowPoint;

/**
 * The aggregate of one metric of one device over one tumbling window (a {@link WindowPoint} of the 1-minute series). A window may be emitted more than once: first
 * when the watermark passes its end ({@code firing} 0), then once more for each record that arrives within the allowed
 * lateness ({@code firing} 1, 2, ...), each time with the complete values so far; the latest firing is the truth.
 *
 * @param tenant the device's tenant
 * @param deviceType the device's type
 * @param deviceId the device id
 * @param metric the metric name
 * @param windowStart start of the window, epoch ms, inclusive
 * @param windowEnd end of the window, epoch ms, exclusive
 * @param count number of readings
 * @param min smallest reading
 * @param max largest reading
 * @param sum sum of the readings
 * @param mean sum / count
 * @param last the reading with the greatest event time (the later arrival on a tie)
 * @param lastTs event time of {@code last}, epoch ms
 * @param p95 95th percentile, nearest rank; exact up to {@link WindowStats#SAMPLE_CAPACITY} readings, estimated from
 *     a systematic sample above that
 * @param firing 0 for the on-time firing, n for the n-th late update
 * @param maxReceivedAt the latest ingest time among the readings, epoch ms (for latency measurement)
 */
public record WindowAggregate(String tenant, String deviceType, String deviceId, String metric, long windowStart,
        long windowEnd, long count, double min, double max, double sum, double mean, double last, long lastTs,
        double p95, int firing, long maxReceivedAt) implements WindowPoint {
}
