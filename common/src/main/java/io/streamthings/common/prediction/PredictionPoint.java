package io.streamthings.common.prediction;

import io.streamthings.common.kafka.DeviceKey;
import java.util.Objects;

/**
 * One forecast of one metric of one device, as the predictive job makes it: the value expected at a future time
 * {@link #ts}, with a band it expects the reading to fall in, and, when the model scores anomalies or watches a
 * threshold, an anomaly score and the time until the threshold is crossed. Stored in InfluxDB by
 * {@link PredictionLines}; read back by the analytics API ({@code GET /api/v1/predictions}).
 *
 * <p>A newer forecast of the same device, metric, model and {@code ts} replaces an older one (same InfluxDB series and
 * time), so what is stored for a future time is always the latest forecast of it.
 *
 * @param tenant the tenant of the device
 * @param deviceId the device
 * @param metric the metric forecast, a telemetry metric name ({@code [A-Za-z0-9_.-]}, 1 to 256 characters)
 * @param ts the time the forecast is for, epoch milliseconds
 * @param madeAt when the model made it, epoch milliseconds
 * @param model the model that made it, e.g. {@code ewma} or {@code holt-winters} (a name as metric names are)
 * @param forecast the expected value
 * @param lower lower bound of the band the model expects the value in (e.g. a 95% interval); at most forecast
 * @param upper upper bound of that band; at least forecast
 * @param anomalyScore how unusual the latest readings look to the model, 0 for nothing unusual, growing with
 *     surprise; null when the model does not score anomalies
 * @param thresholdEtaMs milliseconds from {@code madeAt} until the metric is expected to cross the threshold the model
 *     watches; null when it watches none or expects no crossing
 */
public record PredictionPoint(String tenant, String deviceId, String metric, long ts, long madeAt, String model,
        double forecast, double lower, double upper, Double anomalyScore, Long thresholdEtaMs) {

    /** Longest metric or model name, as the telemetry model allows for metric names. */
    public static final int MAX_NAME_CHARS = 256;

    /**
     * Checks the point.
     *
     * @throws NullPointerException when tenant, deviceId, metric or model is null
     * @throws IllegalArgumentException when a text is blank or holds a line break, the metric or model is not a name, a
     *     number is not finite, the band does not hold the forecast, or the anomaly score or the time to threshold is
     *     negative
     */
    public PredictionPoint {
        requireText(tenant, "tenant");
        requireText(deviceId, "deviceId");
        requireText(metric, "metric");
        requireText(model, "model");
        requireName(metric, "metric");
        requireName(model, "model");
        requireFinite(forecast, "forecast");
        requireFinite(lower, "lower");
        requireFinite(upper, "upper");
        if (lower > forecast || forecast > upper) {
            throw new IllegalArgumentException("expected lower <= forecast <= upper, got " + lower + ", " + forecast
                    + ", " + upper);
        }
        if (anomalyScore != null) {
            requireFinite(anomalyScore, "anomalyScore");
            if (anomalyScore < 0) {
                throw new IllegalArgumentException("anomalyScore must not be negative, got " + anomalyScore);
            }
        }
        if (thresholdEtaMs != null && thresholdEtaMs < 0) {
            throw new IllegalArgumentException("thresholdEtaMs must not be negative, got " + thresholdEtaMs);
        }
    }

    /** The Kafka key, as for telemetry: {@code tenant/deviceId}, so a device's forecasts stay in order. */
    public String kafkaKey() {
        return DeviceKey.of(tenant, deviceId).toString();
    }

    private static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-';
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        // Why: a line break would end the point's line in InfluxDB line protocol.
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(name + " must not hold a line break");
        }
    }

    private static void requireName(String value, String name) {
        if (value.length() > MAX_NAME_CHARS || !value.chars().allMatch(PredictionPoint::isNameChar)) {
            throw new IllegalArgumentException(name + ": expected 1 to " + MAX_NAME_CHARS
                    + " of A-Z, a-z, 0-9, '_', '.', '-'; got " + value);
        }
    }

    private static void requireFinite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }
}
