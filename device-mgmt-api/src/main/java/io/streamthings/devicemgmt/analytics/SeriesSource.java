package io.streamthings.devicemgmt.analytics;

/**
 * Where a series is read from: the measurements and retention policies the real-time Flink job writes
 * ({@code io.streamthings.flink.realtime.InfluxPoints} and {@code RetentionPolicies}). The hourly and daily rollups
 * ({@code rp_1h.telemetry_1h}, {@code rp_1d.telemetry_1d}) have policies but no job writes them yet, so long ranges
 * are read from the 1-minute windows, downsampled by {@code GROUP BY time(...)}.
 */
public enum SeriesSource {
    /** Every reading: tags tenant, deviceType, deviceId and the record's tags; one field per metric. */
    RAW("raw", "telemetry"),
    /** 1-minute windows: tags tenant, deviceType, deviceId, metric; fields count, min, max, sum, mean, last, p95. */
    MINUTE("rp_1m", "telemetry_1m");

    private final String retentionPolicy;
    private final String measurement;

    SeriesSource(String retentionPolicy, String measurement) {
        this.retentionPolicy = retentionPolicy;
        this.measurement = measurement;
    }

    /** The retention policy, which every query must name (the database's default policy holds nothing). */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    /** The measurement. */
    public String measurement() {
        return measurement;
    }

    /** {@code "rp"."measurement"}, quoted. */
    public String from() {
        return InfluxQl.identifier(retentionPolicy) + "." + InfluxQl.identifier(measurement);
    }
}
