package io.streamthings.flink.realtime;

/**
 * Consecutive readings of one window series (tenant, device, metric) within one window, as one subtask read them, in
 * their Kafka order: the unit that crosses the shuffle to the window operator. Batching before the shuffle saves a
 * record, a key, a state access and a timer registration per reading, while the window still adds every reading
 * itself, one by one and in order, so that its results are those of reading-by-reading aggregation (see
 * {@link SeriesBatcher}).
 *
 * @param tenant the device's tenant
 * @param deviceType the device's type (of the first reading)
 * @param deviceId the device id
 * @param metric the metric name
 * @param values the readings, in arrival order
 * @param ts event time of each reading, epoch ms (all in one window)
 * @param receivedAt ingest time of each reading, epoch ms
 */
public record SeriesBatch(String tenant, String deviceType, String deviceId, String metric, double[] values, long[] ts,
        long[] receivedAt) {

    /** Number of readings. */
    public int size() {
        return values.length;
    }

    /** The {@code i}-th reading as a sample. */
    public MetricSample sample(int i) {
        return new MetricSample(tenant, deviceType, deviceId, metric, values[i], ts[i], receivedAt[i]);
    }
}
