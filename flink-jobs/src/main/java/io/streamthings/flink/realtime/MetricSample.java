package io.streamthings.flink.realtime;

/**
 * One metric of one record: the unit the windows aggregate, keyed by {@link #key()}.
 *
 * @param tenant the device's tenant
 * @param deviceType the device's type
 * @param deviceId the device id
 * @param metric the metric name
 * @param value the reading
 * @param ts event time, epoch ms
 * @param receivedAt when ingest received the record, epoch ms
 */
public record MetricSample(String tenant, String deviceType, String deviceId, String metric, double value, long ts,
        long receivedAt) {

    /** {@code tenant/deviceId/metric}: one window series. */
    public String key() {
        return tenant + "/" + deviceId + "/" + metric;
    }
}
