package io.streamthings.common.influx;

/**
 * The window series of telemetry in InfluxDB: per device and metric, one point per window holding the window's
 * aggregates. The real-time job writes the 1-minute windows; the hourly and daily rollups have the same shape, only
 * the measurement, the retention policy and the window length differ. Every window point, whoever writes it:
 *
 * <pre>telemetry_1h,deviceId=d-1,deviceType=thermo,metric=temperature,tenant=acme count=3600i,last=21.5,
 *  lastTs=1764133199000i,max=23.0,maxReceivedAt=1764133199400i,mean=21.2,min=19.5,p95=22.75,sum=76320.0
 *  1764129600000</pre>
 *
 * (on one line): tags tenant, deviceType, deviceId, metric; integer fields count, lastTs (event time of
 * {@code last}, epoch ms) and maxReceivedAt (latest ingest time among the readings, epoch ms); float fields min, max,
 * sum, mean (= sum / count), last (the reading with the greatest event time) and p95 (per window; it cannot be
 * combined across windows, the other fields can); time = window start in epoch ms, windows aligned to the epoch (a
 * day is a UTC day). Write with {@code precision=ms} into {@link #retentionPolicy()}.
 */
public enum WindowSeries {
    /** 1-minute windows, written by the real-time job, kept 90 days by default. */
    MINUTE("telemetry_1m", "rp_1m", 60_000L),
    /** Hourly rollups of the minute windows, written by the batch job, kept forever by default. */
    HOUR("telemetry_1h", "rp_1h", 3_600_000L),
    /** Daily rollups, written by the batch job, kept forever by default. */
    DAY("telemetry_1d", "rp_1d", 86_400_000L);

    private final String measurement;
    private final String retentionPolicy;
    private final long windowMs;

    WindowSeries(String measurement, String retentionPolicy, long windowMs) {
        this.measurement = measurement;
        this.retentionPolicy = retentionPolicy;
        this.windowMs = windowMs;
    }

    /** The measurement, e.g. {@code telemetry_1h}. */
    public String measurement() {
        return measurement;
    }

    /** The retention policy the points are written into and read from, e.g. {@code rp_1h}. */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    /** The window length, ms. */
    public long windowMs() {
        return windowMs;
    }

    /**
     * Writes the point of one window of this series to {@code out}. A point written again for the same window (same
     * tags and start) overwrites the earlier one. NaN or infinite values are left out, as {@link LineProtocol} does.
     */
    public void write(WindowPoint p, LineProtocol out) {
        out.point(measurement, p.windowStart())
                .tag("tenant", p.tenant())
                .tag("deviceType", p.deviceType())
                .tag("deviceId", p.deviceId())
                .tag("metric", p.metric())
                .field("count", p.count())
                .field("min", p.min())
                .field("max", p.max())
                .field("sum", p.sum())
                .field("mean", p.mean())
                .field("last", p.last())
                .field("lastTs", p.lastTs())
                .field("p95", p.p95())
                .field("maxReceivedAt", p.maxReceivedAt())
                .end();
    }
}
