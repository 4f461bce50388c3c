package io.streamthings.flink.predictive;

/**
 * One reading of one metric of one device, the unit the predictive job models.
 *
 * @param tenant the device's tenant
 * @param deviceType the device's type
 * @param deviceId the device
 * @param metric the metric
 * @param ts event time, epoch ms
 * @param value the reading
 */
public record Reading(String tenant, String deviceType, String deviceId, String metric, long ts, double value) {

    /** The series key: {@code tenant/deviceId/metric}. */
    public String seriesKey() {
        return tenant + "/" + deviceId + "/" + metric;
    }
}
