package io.streamthings.common.prediction;

import io.streamthings.common.influx.LineProtocol;

/**
 * Writes {@link PredictionPoint}s as InfluxDB line protocol, the one form the predictive job, the analytics API's
 * reader and the tests share. One line per point:
 *
 * <pre>predictions,deviceId=d-1,metric=temperature,model=ewma,tenant=acme anomalyScore=0.4,forecast=21.5,
 *  lower=20.1,madeAt=1764131000000i,thresholdEtaMs=5400000i,upper=22.9 1764131060000</pre>
 *
 * (on one line). Measurement {@link #MEASUREMENT}; tags tenant, deviceId, metric, model; float fields forecast, lower,
 * upper and anomalyScore (left out when null); integer fields madeAt and thresholdEtaMs (left out when null); time =
 * {@link PredictionPoint#ts()} in milliseconds, so write with {@code precision=ms}, into the database's default
 * retention policy. Tags and fields are in key order, as InfluxDB prefers them.
 */
public final class PredictionLines {

    /** The InfluxDB measurement of forecasts. */
    public static final String MEASUREMENT = "predictions";

    private PredictionLines() {}

    /** The point as one line of line protocol, with its trailing newline. */
    public static String line(PredictionPoint p) {
        StringBuilder out = new StringBuilder(192);
        append(out, p);
        return out.toString();
    }

    /** Appends the point as one line of line protocol, with its trailing newline, to {@code out}. */
    public static void append(StringBuilder out, PredictionPoint p) {
        out.append(MEASUREMENT);
        tag(out, "deviceId", p.deviceId());
        tag(out, "metric", p.metric());
        tag(out, "model", p.model());
        tag(out, "tenant", p.tenant());
        out.append(' ');
        if (p.anomalyScore() != null) {
            out.append("anomalyScore=").append(p.anomalyScore().doubleValue()).append(',');
        }
        out.append("forecast=").append(p.forecast())
                .append(",lower=").append(p.lower())
                .append(",madeAt=").append(p.madeAt()).append('i');
        if (p.thresholdEtaMs() != null) {
            out.append(",thresholdEtaMs=").append(p.thresholdEtaMs().longValue()).append('i');
        }
        out.append(",upper=").append(p.upper())
                .append(' ').append(p.ts()).append('\n');
    }

    private static void tag(StringBuilder out, String key, String value) {
        out.append(',').append(key).append('=');
        LineProtocol.appendKey(out, value);
    }
}
