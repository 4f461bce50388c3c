package io.streamthings.devicemgmt.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.streamthings.devicemgmt.api.AvailabilityView;
import io.streamthings.devicemgmt.api.LatestView;
import io.streamthings.devicemgmt.api.PredictionsView;
import io.streamthings.devicemgmt.api.SeriesView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.core.TimeParam;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The interactive analytics of API.md: series, latest values and forecasts of a device from InfluxDB, after the
 * per-device check in PostgreSQL. Validates its input (400 with a message) and answers 404 for a device the caller may not act on.
 */
public class AnalyticsService {

    /** How far back the latest values look: the raw points' default retention, so nothing kept is missed. */
    public static final Duration LATEST_LOOKBACK = SeriesPlan.RAW_RETENTION;
    /** Metric names as the telemetry model allows them (common's Rules); anything else cannot have been stored. */
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

    /** Default range of forecasts: the last hour (to compare with what came) and the day ahead. */
    public static final String PREDICTIONS_FROM = "-1h";
    /** See {@link #PREDICTIONS_FROM}. */
    public static final String PREDICTIONS_TO = "+24h";

    /** Default start of the availability: the last week. */
    public static final String AVAILABILITY_FROM = "-7d";
    /** Longest range of availability answered at once. */
    public static final int AVAILABILITY_MAX_DAYS = 3_660;

    private final Jdbi jdbi;
    private final InfluxQueryClient influx;
    private final Clock clock;

    /** Reads devices through {@code jdbi} and series through {@code influx}. */
    public AnalyticsService(Jdbi jdbi, InfluxQueryClient influx, Clock clock) {
        this.jdbi = jdbi;
        this.influx = influx;
        this.clock = clock;
    }

    /**
     * A series, downsampled to at most {@code maxPoints} points. Parameters are the query parameters as sent: from
     * defaults to {@code -1h}, to to {@code now}, interval to a choice from the range, agg to mean, maxPoints to 1000.
     *
     * @throws ApiException 400 on bad input, 404 when the caller may not act on the device
     */
    public SeriesView series(Caller caller, String deviceId, String metric, String from, String to, String interval,
            String agg, String maxPoints) {
        requireDeviceAndMetric(deviceId, metric);
        Instant now = clock.instant();
        long fromMs = time("from", from == null ? "-1h" : from, now);
        long toMs = time("to", to == null ? "now" : to, now);
        SeriesPlan plan;
        try {
            plan = SeriesPlan.plan(fromMs, toMs, interval, Agg.parse(agg), parseMaxPoints(maxPoints),
                    now.toEpochMilli());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        requireVisible(caller, deviceId);

        Map<String, String> params = SeriesStatements.params(caller.tenant(), deviceId, metric);
        if (plan.storedIfFits()) {
            List<List<Number>> stored = points(influx.query(SeriesStatements.stored(plan, metric), params).get(0));
            if (stored.size() <= plan.maxPoints()) {
                return new SeriesView(deviceId, metric, plan.intervalName(true), plan.agg().apiName(), fromMs, toMs,
                        stored);
            }
        }
        List<List<Number>> grouped = grouped(plan, metric, params);
        // The bucket was chosen so this cannot trigger; the cut keeps the promise even if InfluxDB aligned otherwise.
        if (grouped.size() > plan.maxPoints()) {
            grouped = grouped.subList(0, plan.maxPoints());
        }
        return new SeriesView(deviceId, metric, plan.intervalName(false), plan.agg().apiName(), fromMs, toMs, grouped);
    }

    /**
     * The buckets of a plan. Raw points and minute windows are read as planned. A rollup covers the range only up to
     * its latest window (the batch job writes a window after it closes), or not at all before the job first runs, so
     * the range is read in parts: from the planned rollup up to the end of its latest window, from the next finer
     * series from there on, down to the minute windows for the rest. A part ends where a window ends, so no window is
     * read twice; a bucket split between two parts is combined from both ({@link WindowBuckets}); a rollup with nothing
     * in range is skipped, and the answer is what the finer series give.
     */
    private List<List<Number>> grouped(SeriesPlan plan, String metric, Map<String, String> params) {
        if (!plan.source().isRollup()) {
            return points(influx.query(SeriesStatements.grouped(plan, metric), params).get(0));
        }
        List<SeriesSource> rollups = plan.source().andFiner().stream().filter(SeriesSource::isRollup).toList();
        List<InfluxQueryClient.Result> latest = influx.query(rollups.stream()
                .map(r -> SeriesStatements.latestWindow(plan.part(r, plan.fromMs(), plan.toMs())))
                .collect(Collectors.joining("; ")), params);
        List<String> parts = new ArrayList<>();
        long start = plan.fromMs();
        for (int i = 0; i < rollups.size() && start <= plan.toMs(); i++) {
            JsonNode row = i < latest.size() ? latest.get(i).rows().path(0) : MissingNode.getInstance();
            long covered = row.path(0).isNumber() ? row.path(0).asLong() + rollups.get(i).windowMs() : start;
            if (covered > start) {
                parts.add(SeriesStatements.partials(plan.part(rollups.get(i), start, Math.min(covered - 1,
                        plan.toMs()))));
                start = covered;
            }
        }
        if (start <= plan.toMs()) {
            parts.add(SeriesStatements.partials(plan.part(SeriesSource.MINUTE, start, plan.toMs())));
        }
        WindowBuckets buckets = new WindowBuckets();
        for (InfluxQueryClient.Result part : influx.query(String.join("; ", parts), params)) {
            buckets.add(part.rows());
        }
        return buckets.points(plan.agg());
    }

    /**
     * The forecasts of one metric of a device with their time in the range, oldest first, at most {@code maxPoints}
     * of them. Parameters are the query parameters as sent: from defaults to {@link #PREDICTIONS_FROM}, to to
     * {@link #PREDICTIONS_TO}, maxPoints to 1000 (at most 10000).
     *
     * @throws ApiException 400 on bad input, 404 when the caller may not act on the device
     */
    public PredictionsView predictions(Caller caller, String deviceId, String metric, String from, String to,
            String maxPoints) {
        requireDeviceAndMetric(deviceId, metric);
        Instant now = clock.instant();
        long fromMs = time("from", from == null ? PREDICTIONS_FROM : from, now);
        long toMs = time("to", to == null ? PREDICTIONS_TO : to, now);
        if (fromMs >= toMs) {
            throw ApiException.badRequest("from must be before to");
        }
        int limit = parseMaxPoints(maxPoints);
        if (limit < 1 || limit > SeriesPlan.MAX_MAX_POINTS) {
            throw ApiException.badRequest("maxPoints: expected 1 to " + SeriesPlan.MAX_MAX_POINTS + ", got " + limit);
        }
        requireVisible(caller, deviceId);

        // One more than asked for, to tell whether the answer was cut.
        InfluxQueryClient.Result result = influx.query(SeriesStatements.predictions(fromMs, toMs, limit + 1),
                SeriesStatements.params(caller.tenant(), deviceId, metric)).get(0);
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < result.columns().size(); i++) {
            column.put(result.columns().get(i).asText(), i);
        }
        List<PredictionsView.Point> points = new ArrayList<>();
        for (JsonNode row : result.rows()) {
            JsonNode forecast = cell(row, column, "forecast");
            if (forecast.isNumber()) {
                points.add(new PredictionsView.Point(cell(row, column, "time").asLong(), forecast.asDouble(),
                        cell(row, column, "lower").asDouble(forecast.asDouble()),
                        cell(row, column, "upper").asDouble(forecast.asDouble()),
                        cell(row, column, "anomalyScore").isNumber()
                                ? cell(row, column, "anomalyScore").asDouble() : null,
                        cell(row, column, "thresholdEtaMs").isNumber()
                                ? cell(row, column, "thresholdEtaMs").asLong() : null,
                        cell(row, column, "model").asText(""), cell(row, column, "madeAt").asLong()));
            }
        }
        boolean truncated = points.size() > limit;
        return new PredictionsView(deviceId, metric, fromMs, toMs, truncated,
                truncated ? points.subList(0, limit) : points);
    }

    /**
     * The availability of a device per UTC day, for the days starting in [from, to). Parameters are the query
     * parameters as sent: from defaults to {@link #AVAILABILITY_FROM}, to to now; at most {@link #AVAILABILITY_MAX_DAYS}
     * days.
     *
     * @throws ApiException 400 on bad input, 404 when the caller may not act on the device
     */
    public AvailabilityView availability(Caller caller, String deviceId, String from, String to) {
        requireText(deviceId, "deviceId");
        Instant now = clock.instant();
        long fromMs = time("from", from == null ? AVAILABILITY_FROM : from, now);
        long toMs = time("to", to == null ? "now" : to, now);
        if (fromMs >= toMs) {
            throw ApiException.badRequest("from must be before to");
        }
        if (toMs - fromMs > AVAILABILITY_MAX_DAYS * 86_400_000L) {
            throw ApiException.badRequest("the range may span at most " + AVAILABILITY_MAX_DAYS + " days");
        }
        requireVisible(caller, deviceId);
        InfluxQueryClient.Result result = influx.query(SeriesStatements.availability(fromMs, toMs),
                SeriesStatements.params(caller.tenant(), deviceId, null)).get(0);
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < result.columns().size(); i++) {
            column.put(result.columns().get(i).asText(), i);
        }
        List<AvailabilityView.Day> days = new ArrayList<>();
        for (JsonNode row : result.rows()) {
            JsonNode known = cell(row, column, "knownMs");
            if (known.isNumber()) {
                days.add(new AvailabilityView.Day(cell(row, column, "time").asLong(), known.asLong(),
                        cell(row, column, "uptimeMs").asLong(), cell(row, column, "uptimeRatio").asDouble(),
                        cell(row, column, "outages").asLong(), cell(row, column, "longestOutageMs").asLong()));
            }
        }
        return new AvailabilityView(deviceId, fromMs, toMs, days);
    }

    /**
     * The latest reading of each metric the device sent within {@link #LATEST_LOOKBACK}.
     *
     * @throws ApiException 400 without a device id, 404 when the caller may not act on the device
     */
    public LatestView latest(Caller caller, String deviceId) {
        requireText(deviceId, "deviceId");
        requireVisible(caller, deviceId);
        long since = clock.millis() - LATEST_LOOKBACK.toMillis();
        Map<String, String> params = SeriesStatements.params(caller.tenant(), deviceId, null);
        InfluxQueryClient.Result fields = influx.query(SeriesStatements.latestFields(since), params).get(0);
        List<String> metrics = new ArrayList<>();
        for (int i = 1; i < fields.columns().size(); i++) {
            String column = fields.columns().get(i).asText();
            if (column.startsWith("last_") && !fields.rows().path(0).path(i).isNull()) {
                metrics.add(column.substring("last_".length()));
            }
        }
        Map<String, LatestView.Reading> latest = new TreeMap<>();
        if (!metrics.isEmpty()) {
            String statements = metrics.stream().map(m -> SeriesStatements.latestValue(m, since))
                    .collect(Collectors.joining("; "));
            List<InfluxQueryClient.Result> results = influx.query(statements, params);
            for (int i = 0; i < metrics.size() && i < results.size(); i++) {
                JsonNode row = results.get(i).rows().path(0);
                if (row.path(1).isNumber()) {
                    latest.put(metrics.get(i), new LatestView.Reading(row.path(0).asLong(), row.path(1).asDouble()));
                }
            }
        }
        return new LatestView(deviceId, latest);
    }

    /**
     * Refuses a device the caller may not act on as if it did not exist: admin of its tenant, owner, or a role its
     * groups are shared with (the same rule as every device-scoped call).
     *
     * @throws ApiException 404
     */
    public void requireVisible(Caller caller, String deviceId) {
        jdbi.onDemand(DeviceDao.class)
                .findVisible(caller.tenant(), deviceId, caller.name(), caller.roleArray(), caller.isAdmin())
                .orElseThrow(() -> ApiException.notFound("device " + deviceId + " not found"));
    }

    private static JsonNode cell(JsonNode row, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        return i == null ? MissingNode.getInstance() : row.path(i);
    }

    private static List<List<Number>> points(InfluxQueryClient.Result result) {
        List<List<Number>> points = new ArrayList<>(result.rows().size());
        for (JsonNode row : result.rows()) {
            JsonNode value = row.path(1);
            if (value.isNumber()) {
                points.add(List.of(row.path(0).asLong(), value.isIntegralNumber() ? value.asLong() : value.asDouble()));
            }
        }
        return points;
    }

    private static int parseMaxPoints(String value) {
        if (value == null || value.isBlank()) {
            return SeriesPlan.DEFAULT_MAX_POINTS;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("maxPoints: expected a whole number from 1 to " + SeriesPlan.MAX_MAX_POINTS
                    + ", got " + value);
        }
    }

    private static long time(String name, String value, Instant now) {
        try {
            return TimeParam.parse(value, now).toEpochMilli();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + ": " + e.getMessage());
        }
    }

    private static void requireDeviceAndMetric(String deviceId, String metric) {
        requireText(deviceId, "deviceId");
        requireText(metric, "metric");
        if (!METRIC.matcher(metric).matches()) {
            throw ApiException.badRequest("metric: expected 1 to 256 of A-Z, a-z, 0-9, '_', '.', '-'; got " + metric);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name + " is required");
        }
    }
}
