package io.streamthings.flink.batch;

import io.streamthings.common.influx.WindowSeries;
import java.util.List;
import java.util.Map;

/**
 * The exact combination of window aggregates, the rule of every rollup: counts and sums add up (so the mean of the
 * rollup is the mean of all its readings, not a mean of means), the least min and the greatest max win, and {@code last}
 * is the last of the window whose {@code lastTs} is greatest. The p95 cannot be combined exactly; the rollup keeps the
 * greatest of the windows' p95, an upper bound of the readings' p95 (the same rule as
 * {@link io.streamthings.common.influx.WindowPoint#rollup}).
 *
 * <p>{@link #combine} is associative and commutative, so the order in which Flink's reduce meets the windows does not
 * matter: equal {@code lastTs} in two windows of one series cannot happen (windows do not overlap), and when it does
 * (the same window read twice) the greater value wins either way.
 */
public final class Rollups {

    /** The fields read from a finer series, in the order {@link #fromRow} expects them after the time. */
    static final List<String> FIELDS = List.of("count", "min", "max", "sum", "last", "lastTs", "p95", "maxReceivedAt");

    /** The tags that identify a series. */
    static final List<String> TAGS = List.of("tenant", "deviceType", "deviceId", "metric");

    private Rollups() {
    }

    /**
     * The rollup of two windows of the same series into the window of {@code a}.
     *
     * @throws IllegalArgumentException when the windows belong to different series or windows
     */
    public static RollupWindow combine(RollupWindow a, RollupWindow b) {
        if (!a.rollupKey().equals(b.rollupKey())) {
            throw new IllegalArgumentException("cannot roll up windows of different series or windows: "
                    + a.rollupKey() + " and " + b.rollupKey());
        }
        boolean bLater = b.lastTs() > a.lastTs() || (b.lastTs() == a.lastTs() && b.last() > a.last());
        RollupWindow latest = bLater ? b : a;
        return new RollupWindow(a.tenant(), a.deviceType(), a.deviceId(), a.metric(), a.windowStart(),
                a.count() + b.count(), Math.min(a.min(), b.min()), Math.max(a.max(), b.max()), a.sum() + b.sum(),
                latest.last(), latest.lastTs(), maxIgnoringNaN(a.p95(), b.p95()),
                Math.max(a.maxReceivedAt(), b.maxReceivedAt()));
    }

    /** Start of the window of {@code series} that holds {@code ts} (windows aligned to the epoch; days are UTC). */
    public static long windowStart(WindowSeries series, long ts) {
        return Math.floorDiv(ts, series.windowMs()) * series.windowMs();
    }

    /** The series a rollup into {@code target} reads: minutes for hours, hours for days. */
    public static WindowSeries sourceOf(WindowSeries target) {
        return switch (target) {
            case HOUR -> WindowSeries.MINUTE;
            case DAY -> WindowSeries.HOUR;
            case MINUTE -> throw new IllegalArgumentException("the minute windows are the real-time job's, not a "
                    + "rollup");
        };
    }

    /** The InfluxQL query of every window of {@code source} with a start in [fromMs, toMs), grouped by series. */
    static String query(WindowSeries source, long fromMs, long toMs) {
        StringBuilder q = new StringBuilder("SELECT ");
        for (int i = 0; i < FIELDS.size(); i++) {
            q.append(i == 0 ? "" : ",").append('"').append(FIELDS.get(i)).append('"');
        }
        q.append(" FROM \"").append(source.retentionPolicy()).append("\".\"").append(source.measurement())
                .append("\" WHERE time >= ").append(fromMs).append("ms AND time < ").append(toMs)
                .append("ms GROUP BY ");
        for (int i = 0; i < TAGS.size(); i++) {
            q.append(i == 0 ? "" : ",").append('"').append(TAGS.get(i)).append('"');
        }
        return q.toString();
    }

    /**
     * One row of {@link #query}'s answer (time in ms, then {@link #FIELDS}) as a window of the target series: its
     * start moved to the target window that holds it. Returns null for a row without readings (a count of 0 or none).
     *
     * @throws IllegalArgumentException when a series tag is missing
     */
    static RollupWindow fromRow(WindowSeries target, Map<String, String> tags, List<Object> row) {
        for (String tag : TAGS) {
            if (tags == null || tags.get(tag) == null || tags.get(tag).isEmpty()) {
                throw new IllegalArgumentException("window point without the tag " + tag + ": " + tags);
            }
        }
        long time = asLong(row.get(0));
        long count = asLong(row.get(1));
        if (count <= 0) {
            return null;
        }
        return new RollupWindow(tags.get("tenant"), tags.get("deviceType"), tags.get("deviceId"), tags.get("metric"),
                windowStart(target, time), count, asDouble(row.get(2)), asDouble(row.get(3)), asDouble(row.get(4)),
                asDouble(row.get(5)), asLong(row.get(6)), asDouble(row.get(7)), asLong(row.get(8)));
    }

    private static double maxIgnoringNaN(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static long asLong(Object value) {
        if (value == null) {
            return 0;
        }
        return Math.round(((Number) value).doubleValue());
    }

    private static double asDouble(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }
}
