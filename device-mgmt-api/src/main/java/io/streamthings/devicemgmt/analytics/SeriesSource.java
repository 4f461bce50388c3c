package io.streamthings.devicemgmt.analytics;

import io.streamthings.common.influx.WindowSeries;
import java.util.List;

/**
 * Where a series is read from: the raw points the real-time Flink job writes, or one of the window series of common's
 * {@link WindowSeries} (the job's 1-minute windows, the batch job's hourly and daily rollups), all of one shape, so one
 * aggregation ({@link Agg#overWindows()}) reads them all.
 */
public enum SeriesSource {
    /** Every reading: tags tenant, deviceType, deviceId and the record's tags; one field per metric. */
    RAW("raw", "telemetry", 0),
    /** 1-minute windows: tags tenant, deviceType, deviceId, metric; fields count, min, max, sum, mean, last, p95, ... */
    MINUTE(WindowSeries.MINUTE),
    /** Hourly rollups: as {@link #MINUTE}. */
    HOUR(WindowSeries.HOUR),
    /** Daily rollups: as {@link #MINUTE}. */
    DAY(WindowSeries.DAY);

    private final String retentionPolicy;
    private final String measurement;
    private final long windowMs;

    SeriesSource(WindowSeries windows) {
        this(windows.retentionPolicy(), windows.measurement(), windows.windowMs());
    }

    SeriesSource(String retentionPolicy, String measurement, long windowMs) {
        this.retentionPolicy = retentionPolicy;
        this.measurement = measurement;
        this.windowMs = windowMs;
    }

    /** The retention policy, which every query must name (the database's default policy holds nothing). */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    /** The measurement. */
    public String measurement() {
        return measurement;
    }

    /** The window length in ms; 0 for raw points. */
    public long windowMs() {
        return windowMs;
    }

    /** True for a rollup: a window series a batch job writes, which may lag behind or not exist yet. */
    public boolean isRollup() {
        return this == HOUR || this == DAY;
    }

    /** {@code "rp"."measurement"}, quoted. */
    public String from() {
        return InfluxQl.identifier(retentionPolicy) + "." + InfluxQl.identifier(measurement);
    }

    /**
     * The coarsest window series whose windows fit whole in a bucket of {@code bucketMs} (minute, hour or day): the one
     * that answers the bucket from the fewest points. The bucket is a whole number of minutes at least.
     */
    public static SeriesSource windowsFor(long bucketMs) {
        for (SeriesSource s : List.of(DAY, HOUR)) {
            if (bucketMs % s.windowMs == 0) {
                return s;
            }
        }
        return MINUTE;
    }

    /** This window series and the finer ones, coarsest first, ending with {@link #MINUTE}; empty for raw. */
    public List<SeriesSource> andFiner() {
        return switch (this) {
            case DAY -> List.of(DAY, HOUR, MINUTE);
            case HOUR -> List.of(HOUR, MINUTE);
            case MINUTE -> List.of(MINUTE);
            case RAW -> List.of();
        };
    }
}
