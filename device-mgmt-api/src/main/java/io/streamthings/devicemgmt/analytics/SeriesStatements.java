package io.streamthings.devicemgmt.analytics;

import io.streamthings.common.influx.DayAvailability;
import io.streamthings.common.prediction.PredictionLines;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The InfluxQL of the analytics API. Caller-supplied values (tenant, device id, metric as a tag value) are never
 * spliced into the text: they are bound parameters ({@link #params}); the one caller-supplied identifier, a metric as
 * a field of the raw measurement, is quoted by {@link InfluxQl#identifier}; times and buckets are numbers we format.
 */
public final class SeriesStatements {

    /** The series of one device of one tenant. Why bound: a device id is text the caller chose. */
    static final String DEVICE = "\"tenant\" = $tenant AND \"deviceId\" = $deviceId";

    private SeriesStatements() {}

    /** The bound parameters of every statement here; {@code metric} may be null when a statement needs none. */
    public static Map<String, String> params(String tenant, String deviceId, String metric) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("tenant", tenant);
        params.put("deviceId", deviceId);
        if (metric != null) {
            params.put("metric", metric);
        }
        return params;
    }

    /**
     * The raw points of one metric as stored, oldest first, one more than the plan's maxPoints so that the caller can
     * tell whether they fit.
     */
    public static String stored(SeriesPlan plan, String metric) {
        return "SELECT " + InfluxQl.identifier(metric) + " AS \"value\" FROM " + SeriesSource.RAW.from()
                + " WHERE " + DEVICE + timeRange(plan) + " LIMIT " + (plan.maxPoints() + 1);
    }

    /** One aggregated point per non-empty bucket of the plan, oldest first. */
    public static String grouped(SeriesPlan plan, String metric) {
        String select;
        String where;
        if (plan.source() == SeriesSource.RAW) {
            select = plan.agg().overRaw(InfluxQl.identifier(metric));
            where = DEVICE;
        } else {
            select = plan.agg().overWindows();
            where = DEVICE + " AND \"metric\" = $metric";
        }
        return "SELECT " + select + " AS \"value\" FROM " + plan.source().from() + " WHERE " + where
                + timeRange(plan) + " GROUP BY time(" + InfluxQl.duration(plan.bucketMs()) + ") fill(none)";
    }

    /**
     * Per non-empty bucket of the plan, what buckets read in parts are combined from ({@link WindowBuckets}): columns
     * time, sum, count, min, max, last; for a window series only.
     */
    public static String partials(SeriesPlan plan) {
        return "SELECT sum(\"sum\") AS \"sum\", sum(\"count\") AS \"count\", min(\"min\") AS \"min\", "
                + "max(\"max\") AS \"max\", last(\"last\") AS \"last\" FROM " + plan.source().from() + " WHERE "
                + DEVICE + " AND \"metric\" = $metric" + timeRange(plan) + " GROUP BY time("
                + InfluxQl.duration(plan.bucketMs()) + ") fill(none)";
    }

    /**
     * The start of the latest window of the plan's window series for the metric in the plan's range: one row
     * {@code [time, count]}, or no rows when the series holds none there (a rollup no batch job has written yet).
     */
    public static String latestWindow(SeriesPlan plan) {
        return "SELECT last(\"count\") FROM " + plan.source().from() + " WHERE " + DEVICE + " AND \"metric\" = $metric"
                + timeRange(plan);
    }

    /** The last value of every field of the device since {@code sinceMs}: columns {@code last_<metric>}. */
    public static String latestFields(long sinceMs) {
        return "SELECT last(*) FROM " + SeriesSource.RAW.from() + " WHERE " + DEVICE + " AND time >= "
                + InfluxQl.time(sinceMs);
    }

    /**
     * The last value of one metric with its own time. Why a statement per metric: with several selectors InfluxDB
     * answers one row stamped with the start of the range, losing each value's time.
     */
    public static String latestValue(String metric, long sinceMs) {
        return "SELECT last(" + InfluxQl.identifier(metric) + ") AS \"value\" FROM " + SeriesSource.RAW.from()
                + " WHERE " + DEVICE + " AND time >= " + InfluxQl.time(sinceMs);
    }

    /**
     * The forecasts of one metric ({@code $metric}) with {@code ts} in the range, oldest first, at most {@code limit};
     * columns time, forecast, lower, upper, anomalyScore, thresholdEtaMs, madeAt, model. They live in the database's
     * default retention policy, as {@link PredictionLines} writes them.
     */
    public static String predictions(long fromMs, long toMs, int limit) {
        return "SELECT \"forecast\", \"lower\", \"upper\", \"anomalyScore\", \"thresholdEtaMs\", \"madeAt\", "
                + "\"model\" FROM " + InfluxQl.identifier(PredictionLines.MEASUREMENT) + " WHERE " + DEVICE
                + " AND \"metric\" = $metric" + timeRange(fromMs, toMs) + " LIMIT " + limit;
    }

    /**
     * The days of the device's availability with their start in [from, to), oldest first; columns time, knownMs,
     * uptimeMs, uptimeRatio, outages, longestOutageMs.
     */
    public static String availability(long fromMs, long toMs) {
        return "SELECT \"knownMs\", \"uptimeMs\", \"uptimeRatio\", \"outages\", \"longestOutageMs\" FROM "
                + InfluxQl.identifier(DayAvailability.RETENTION_POLICY) + "."
                + InfluxQl.identifier(DayAvailability.MEASUREMENT) + " WHERE " + DEVICE + " AND time >= "
                + InfluxQl.time(fromMs) + " AND time < " + InfluxQl.time(toMs);
    }

    private static String timeRange(SeriesPlan plan) {
        return timeRange(plan.fromMs(), plan.toMs());
    }

    private static String timeRange(long fromMs, long toMs) {
        return " AND time >= " + InfluxQl.time(fromMs) + " AND time <= " + InfluxQl.time(toMs);
    }
}
