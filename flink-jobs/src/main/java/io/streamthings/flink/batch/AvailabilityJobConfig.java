package io.streamthings.flink.batch;

import io.streamthings.common.kafka.Topics;
import io.streamthings.kafka.Flags;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of {@link AvailabilityJob}, immutable once parsed. The range is widened to whole UTC days (a partial day
 * would overwrite a day's figures with part of them).
 *
 * @param kafkaBootstrap Kafka bootstrap servers
 * @param topic the device events topic
 * @param influxUrl InfluxDB base URL
 * @param database the database
 * @param fromMs start of the range, epoch ms, a UTC midnight
 * @param toMs end of the range, exclusive, a UTC midnight
 * @param lookbackMs how far before the range events are read to know the state the range starts in, ms
 * @param lateMs how long after the range's end an event about it may still have been written (an offline event is
 *     written when the device's timeout has passed, with the time it was last heard from), ms
 * @param parallelism Flink parallelism
 * @param retention1d duration of {@code rp_1d} when this job has to create it
 */
public record AvailabilityJobConfig(String kafkaBootstrap, String topic, String influxUrl, String database,
        long fromMs, long toMs, long lookbackMs, long lateMs, int parallelism, String retention1d)
        implements Serializable {

    /** The options, with their defaults (null: required). */
    public enum Option {
        FROM("from", null, "start of the range: epoch ms, ISO-8601 instant or a UTC date (2026-12-01)"),
        TO("to", null, "end of the range, exclusive, in the same forms"),
        KAFKA_BOOTSTRAP("kafka.bootstrap", "localhost:9092", "Kafka bootstrap servers"),
        TOPIC("topic.deviceEvents", Topics.DEVICE_EVENTS.name(), "device events topic"),
        INFLUX_URL("influx.url", "http://localhost:8086", "InfluxDB base URL"),
        INFLUX_DATABASE("influx.database", "streamthings", "InfluxDB database"),
        LOOKBACK_MS("lookbackMs", "604800000", "events read before the range for the state it starts in (7 days)"),
        LATE_MS("lateMs", "3600000", "how long after the range an event about it may have been written (1 hour)"),
        PARALLELISM("parallelism", "2", "Flink parallelism"),
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

    public AvailabilityJobConfig {
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("from must be before to, got " + Instant.ofEpochMilli(fromMs) + " and "
                    + Instant.ofEpochMilli(toMs));
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (lookbackMs < 0 || lateMs < 0) {
            throw new IllegalArgumentException("lookbackMs and lateMs must not be negative");
        }
        long day = Availability.DAY_MS;
        fromMs = Math.floorDiv(fromMs, day) * day;
        toMs = Math.floorDiv(toMs + day - 1, day) * day;
    }

    /** A configuration for a range with the defaults otherwise. */
    public static AvailabilityJobConfig of(String kafkaBootstrap, String topic, String influxUrl, String database,
            long fromMs, long toMs) {
        return new AvailabilityJobConfig(kafkaBootstrap, topic, influxUrl, database, fromMs, toMs, 7 * Availability.DAY_MS,
                3_600_000L, 2, "INF");
    }

    /**
     * Parses {@code --name value} (or {@code --name=value}) pairs.
     *
     * @throws IllegalArgumentException naming the option, on an unknown option, a missing value or a bad value
     */
    public static AvailabilityJobConfig parse(String... args) {
        Map<Option, String> values = new LinkedHashMap<>();
        for (Flags.Flag flag : Flags.parse(args)) {
            values.put(Flags.option(flag, Option.values(), o -> o.key, AvailabilityJobConfig::usage), flag.value());
        }
        for (Option o : Option.values()) {
            values.putIfAbsent(o, o.defaultValue);
            if (values.get(o) == null) {
                throw new IllegalArgumentException("--" + o.key + " is required (" + o.help + ")");
            }
        }
        return new AvailabilityJobConfig(values.get(Option.KAFKA_BOOTSTRAP), values.get(Option.TOPIC),
                values.get(Option.INFLUX_URL), values.get(Option.INFLUX_DATABASE),
                RollupJobConfig.time(Option.FROM.key, values.get(Option.FROM)),
                RollupJobConfig.time(Option.TO.key, values.get(Option.TO)),
                number(Option.LOOKBACK_MS, values), number(Option.LATE_MS, values),
                (int) number(Option.PARALLELISM, values), values.get(Option.RETENTION_1D));
    }

    private static long number(Option o, Map<Option, String> values) {
        try {
            return Long.parseLong(values.get(o).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + o.key + ": expected a whole number, got " + values.get(o));
        }
    }

    /** Every option with its default and meaning, one a line. */
    public static String usage() {
        StringBuilder out = new StringBuilder("AvailabilityJob options:\n");
        for (Option o : Option.values()) {
            out.append("  --").append(o.key).append(' ')
                    .append(o.defaultValue == null ? "(required)" : "(default " + o.defaultValue + ")")
                    .append("  ").append(o.help).append('\n');
        }
        return out.toString();
    }
}
