package io.streamthings.flink.batch;

import io.streamthings.common.influx.WindowSeries;
import io.streamthings.kafka.Flags;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@link RollupJob}, immutable once parsed. The range is widened to whole windows of the coarsest
 * series rolled up (a partial window would overwrite a full rollup with part of it).
 *
 * @param influxUrl InfluxDB base URL
 * @param database the database
 * @param series the series to write, finer first (hours before days: the days are read from the hours)
 * @param fromMs start of the range, epoch ms, inclusive
 * @param toMs end of the range, epoch ms, exclusive
 * @param parallelism Flink parallelism
 * @param retention1h duration of {@code rp_1h} when this job has to create it
 * @param retention1d duration of {@code rp_1d} when this job has to create it
 */
public record RollupJobConfig(String influxUrl, String database, List<WindowSeries> series, long fromMs, long toMs,
        int parallelism, String retention1h, String retention1d) implements Serializable {

    /** The options, with their defaults (null: required). */
    public enum Option {
        FROM("from", null, "start of the range: epoch ms, ISO-8601 instant or a UTC date (2026-12-01)"),
        TO("to", null, "end of the range, exclusive, in the same forms"),
        SERIES("series", "all", "hour, day or all (hours first, then the days from them)"),
        INFLUX_URL("influx.url", "http://localhost:8086", "InfluxDB base URL"),
        INFLUX_DATABASE("influx.database", "streamthings", "InfluxDB database"),
        PARALLELISM("parallelism", "2", "Flink parallelism"),
        RETENTION_1H("retention.1h", "INF", "duration of rp_1h if it has to be created"),
        RETENTION_1D("retention.1d", "INF", "duration of rp_1d if it has to be created");

        private final String key;
        private final String defaultValue;
        private final String help;

        Option(String key, String defaultValue, String help) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.help = help;
        }

        /** The option's name on the command line, without the leading {@code --}. */
        public String key() {
            return key;
        }
    }

    public RollupJobConfig {
        series = List.copyOf(series);
        if (series.isEmpty() || series.contains(WindowSeries.MINUTE)) {
            throw new IllegalArgumentException("series: expected hour, day or all");
        }
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("from must be before to, got " + Instant.ofEpochMilli(fromMs) + " and "
                    + Instant.ofEpochMilli(toMs));
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        // Widen to whole windows of the coarsest series.
        long unit = series.stream().mapToLong(WindowSeries::windowMs).max().orElseThrow();
        fromMs = Math.floorDiv(fromMs, unit) * unit;
        toMs = Math.floorDiv(toMs + unit - 1, unit) * unit;
    }

    /** A configuration for a range with the defaults otherwise. */
    public static RollupJobConfig of(String influxUrl, String database, List<WindowSeries> series, long fromMs,
            long toMs) {
        return new RollupJobConfig(influxUrl, database, series, fromMs, toMs, 2, "INF", "INF");
    }

    /** The starts of the windows of {@code target} in the range: one slice of work each. */
    public List<Long> windowStarts(WindowSeries target) {
        List<Long> starts = new ArrayList<>();
        for (long t = Rollups.windowStart(target, fromMs); t < toMs; t += target.windowMs()) {
            starts.add(t);
        }
        return starts;
    }

    /**
     * Parses {@code --name value} (or {@code --name=value}) pairs.
     *
     * @throws IllegalArgumentException naming the option, on an unknown option, a missing value or a bad value
     */
    public static RollupJobConfig parse(String... args) {
        Map<Option, String> values = new LinkedHashMap<>();
        for (Flags.Flag flag : Flags.parse(args)) {
            values.put(Flags.option(flag, Option.values(), o -> o.key, RollupJobConfig::usage), flag.value());
        }
        for (Option o : Option.values()) {
            values.putIfAbsent(o, o.defaultValue);
            if (values.get(o) == null) {
                throw new IllegalArgumentException("--" + o.key + " is required (" + o.help + ")");
            }
        }
        List<WindowSeries> series = switch (values.get(Option.SERIES).toLowerCase(Locale.ROOT)) {
            case "hour" -> List.of(WindowSeries.HOUR);
            case "day" -> List.of(WindowSeries.DAY);
            case "all" -> List.of(WindowSeries.HOUR, WindowSeries.DAY);
            default -> throw new IllegalArgumentException("--series: expected hour, day or all, got "
                    + values.get(Option.SERIES));
        };
        int parallelism;
        try {
            parallelism = Integer.parseInt(values.get(Option.PARALLELISM));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--parallelism: expected a whole number, got "
                    + values.get(Option.PARALLELISM));
        }
        return new RollupJobConfig(values.get(Option.INFLUX_URL), values.get(Option.INFLUX_DATABASE), series,
                time(Option.FROM, values.get(Option.FROM)), time(Option.TO, values.get(Option.TO)), parallelism,
                values.get(Option.RETENTION_1H), values.get(Option.RETENTION_1D));
    }

    /** Every option with its default and meaning, one a line. */
    public static String usage() {
        StringBuilder out = new StringBuilder("RollupJob options:\n");
        for (Option o : Option.values()) {
            out.append("  --").append(o.key).append(' ')
                    .append(o.defaultValue == null ? "(required)" : "(default " + o.defaultValue + ")")
                    .append("  ").append(o.help).append('\n');
        }
        return out.toString();
    }

    static long time(Option option, String text) {
        return time(option.key, text);
    }

    /** Epoch ms, an ISO-8601 instant or a UTC date, as the value of option {@code key}. */
    static long time(String key, String text) {
        try {
            if (text.matches("-?\\d+")) {
                return Long.parseLong(text);
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": expected epoch ms, an ISO-8601 instant or a "
                    + "date, got " + text);
        }
    }
}
