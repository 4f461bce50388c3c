package io.streamthings.flink.realtime;

import io.streamthings.common.kafka.Topics;
import io.streamthings.kafka.Flags;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The typed, immutable configuration of {@link RealtimeJob}, read once from command-line options and validated before
 * anything starts. Every option has a default that works against the standalone platform; a bad value fails fast with
 * a message that names the option.
 *
 * <p>Options are given as {@code --name value} or {@code --name=value}; the names are those of {@link Option}.
 * Durations are milliseconds unless the name says otherwise; retention durations use InfluxQL duration literals
 * ({@code 7d}, {@code 12h}, {@code 4w}, {@code INF}).
 */
public final class RealtimeJobConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern INFLUX_DURATION = Pattern.compile("INF|[1-9][0-9]*(h|d|w)");
    private static final Pattern INFLUX_IDENTIFIER = Pattern.compile("[A-Za-z0-9_]+");

    /** The options, with their command-line names, defaults and a one-line description for the usage text. */
    public enum Option {
        /** Kafka bootstrap servers. */
        KAFKA_BOOTSTRAP("kafka.bootstrap", "localhost:9092", "Kafka bootstrap servers"),
        /** Consumer group of the source; offsets are committed on each completed checkpoint. */
        KAFKA_GROUP_ID("kafka.groupId", "streamthings-realtime", "Kafka consumer group id"),
        /** Prefix of the transactional ids of the exactly-once {@code telemetry.agg} sink; unique per job. */
        KAFKA_TRANSACTIONAL_ID_PREFIX("kafka.transactionalIdPrefix", "streamthings-realtime-agg",
                "transactional id prefix of the telemetry.agg sink"),
        /** Kafka transaction timeout; must not exceed the broker's transaction.max.timeout.ms (15 min by default). */
        KAFKA_TRANSACTION_TIMEOUT_MS("kafka.transactionTimeoutMs", "900000", "Kafka transaction timeout, ms"),
        /** The input topic. */
        TOPIC_RAW("topic.raw", Topics.TELEMETRY_RAW.name(), "input topic of stamped telemetry"),
        /** The output topic of window aggregates. */
        TOPIC_AGG("topic.agg", Topics.TELEMETRY_AGG.name(), "output topic of window aggregates"),
        /** The output topic of online/offline/seen events. */
        TOPIC_EVENTS("topic.events", Topics.DEVICE_EVENTS.name(), "output topic of device events"),
        /** The dead-letter topic for records that cannot be decoded. */
        TOPIC_DLQ("topic.dlq", Topics.TELEMETRY_DLQ.name(), "dead-letter topic of undecodable records"),
        /** InfluxDB 1.x HTTP base URL. */
        INFLUX_URL("influx.url", "http://localhost:8086", "InfluxDB base URL"),
        /** InfluxDB database; created at start when missing. */
        INFLUX_DATABASE("influx.database", "streamthings", "InfluxDB database"),
        /** Points per InfluxDB write request; a writer also flushes on every checkpoint and on a timer. */
        INFLUX_BATCH_SIZE("influx.batchSize", "5000", "points per InfluxDB write"),
        /** Longest time a point waits in a writer's buffer before it is written, ms. */
        INFLUX_FLUSH_INTERVAL_MS("influx.flushIntervalMs", "1000", "InfluxDB flush interval, ms"),
        /** Whether every record is also stored as a raw point in {@code telemetry}; false stores the windows only. */
        INFLUX_RAW_POINTS("influx.rawPoints", "true", "store raw points in InfluxDB (true/false)"),
        /** Parallelism of every operator (at most the partition count of the input topic is useful). */
        PARALLELISM("parallelism", "2", "job parallelism"),
        /** Tumbling window size, ms. */
        WINDOW_SIZE_MS("window.sizeMs", "60000", "tumbling window size, ms"),
        /** How long a window keeps accepting late records after the watermark passed its end, ms. */
        ALLOWED_LATENESS_MS("window.allowedLatenessMs", "60000", "allowed lateness, ms"),
        /**
         * Longest time a reading waits in its batch before the shuffle to the windows, ms of processing time; 0 sends
         * every reading on its own. Batches are also released when the watermark closes their window and before every
         * checkpoint, so this only bounds the wait of readings whose window stays open.
         */
        WINDOW_BATCH_MS("window.batchMs", "100", "longest wait of a reading in its batch before the windows, ms"),
        /** Bound of the out-of-orderness the watermark tolerates, ms. */
        OUT_OF_ORDERNESS_MS("watermark.outOfOrdernessMs", "5000", "bounded out-of-orderness, ms"),
        /** A Kafka partition silent this long stops holding the watermark back, ms. */
        IDLENESS_MS("watermark.idlenessMs", "30000", "partition idleness timeout, ms"),
        /** Silence after which a device is offline, unless its records carry an {@code offlineAfterMs} tag, ms. */
        OFFLINE_AFTER_MS("presence.offlineAfterMs", "300000", "default offline timeout, ms"),
        /** At most one {@code seen} event per device per this interval, ms; 0 disables seen events. */
        SEEN_INTERVAL_MS("presence.seenIntervalMs", "60000", "interval of seen events per device, ms"),
        /** Checkpoint interval, ms; checkpoints are exactly-once. */
        CHECKPOINT_INTERVAL_MS("checkpoint.intervalMs", "10000", "checkpoint interval, ms"),
        /**
         * Where checkpoints are kept (a URI such as {@code file:///...} or {@code s3://...}). Empty leaves it to the
         * cluster's configuration; a local MiniCluster then keeps them in the JobManager's memory, limited to 5 MB of
         * state: enough for tests, not for a fleet.
         */
        CHECKPOINT_DIR("checkpoint.dir", "", "checkpoint directory (file:///..., s3://...)"),
        /** A retained checkpoint or savepoint to restore from at start; empty starts from committed offsets. */
        RESTORE_FROM("checkpoint.restoreFrom", "", "checkpoint or savepoint path to restore from"),
        /** Retention of the raw measurement {@code telemetry} and of {@code telemetry_late}. */
        RETENTION_RAW("retention.raw", "7d", "retention of raw points (InfluxQL duration or INF)"),
        /** Retention of {@code telemetry_1m}. */
        RETENTION_1M("retention.1m", "90d", "retention of 1-minute aggregates"),
        /** Retention of the hourly rollups {@code telemetry_1h} (written by the batch job). */
        RETENTION_1H("retention.1h", "INF", "retention of hourly rollups"),
        /** Retention of the daily rollups {@code telemetry_1d} (written by the batch job). */
        RETENTION_1D("retention.1d", "INF", "retention of daily rollups");

        private final String key;
        private final String defaultValue;
        private final String description;

        Option(String key, String defaultValue, String description) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** The option's name on the command line, without the leading {@code --}. */
        public String key() {
            return key;
        }

        /** The value used when the option is not given. */
        public String defaultValue() {
            return defaultValue;
        }
    }

    private final EnumMap<Option, String> values;

    private RealtimeJobConfig(EnumMap<Option, String> values) {
        this.values = values;
        validate();
    }

    /** The defaults of every option. */
    public static RealtimeJobConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults; used by the standalone launcher and by tests. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    /**
     * Parses {@code --name value} and {@code --name=value} pairs over the defaults.
     *
     * @throws IllegalArgumentException naming the unknown option or the bad value
     */
    public static RealtimeJobConfig parse(String[] args) {
        Builder b = builder();
        for (Flags.Flag flag : Flags.parse(args)) {
            b.set(Flags.option(flag, Option.values(), Option::key, RealtimeJobConfig::usage), flag.value());
        }
        return b.build();
    }

    /** The usage text: every option with its default. */
    public static String usage() {
        StringBuilder s = new StringBuilder("Options of the real-time job (--name value):\n");
        for (Option o : Option.values()) {
            s.append(String.format("  --%-30s %s (default \"%s\")%n", o.key, o.description, o.defaultValue));
        }
        return s.toString();
    }

    public String kafkaBootstrap() {
        return string(Option.KAFKA_BOOTSTRAP);
    }

    public String kafkaGroupId() {
        return string(Option.KAFKA_GROUP_ID);
    }

    public String transactionalIdPrefix() {
        return string(Option.KAFKA_TRANSACTIONAL_ID_PREFIX);
    }

    /** Kafka transaction timeout, ms. */
    public long transactionTimeoutMs() {
        return positiveLong(Option.KAFKA_TRANSACTION_TIMEOUT_MS);
    }

    public String topicRaw() {
        return string(Option.TOPIC_RAW);
    }

    public String topicAgg() {
        return string(Option.TOPIC_AGG);
    }

    public String topicEvents() {
        return string(Option.TOPIC_EVENTS);
    }

    public String topicDlq() {
        return string(Option.TOPIC_DLQ);
    }

    public String influxUrl() {
        return string(Option.INFLUX_URL);
    }

    public String influxDatabase() {
        return string(Option.INFLUX_DATABASE);
    }

    public int influxBatchSize() {
        return (int) positiveLong(Option.INFLUX_BATCH_SIZE);
    }

    /** Longest wait of a point in a writer's buffer, ms. */
    public long influxFlushIntervalMs() {
        return positiveLong(Option.INFLUX_FLUSH_INTERVAL_MS);
    }

    /** Whether raw points are written to InfluxDB. */
    public boolean influxRawPoints() {
        String v = values.get(Option.INFLUX_RAW_POINTS);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + Option.INFLUX_RAW_POINTS.key + " expects true or false, got \""
                    + v + "\"");
        }
        return Boolean.parseBoolean(v);
    }

    public int parallelism() {
        return (int) positiveLong(Option.PARALLELISM);
    }

    /** Tumbling window size, ms. */
    public long windowSizeMs() {
        return positiveLong(Option.WINDOW_SIZE_MS);
    }

    /** Allowed lateness, ms (0 allowed). */
    public long allowedLatenessMs() {
        return nonNegativeLong(Option.ALLOWED_LATENESS_MS);
    }

    /** Longest wait of a reading in its batch before the windows, ms (0 = no batching). */
    public long windowBatchMs() {
        return nonNegativeLong(Option.WINDOW_BATCH_MS);
    }

    /** Bounded out-of-orderness of the watermark, ms (0 allowed). */
    public long outOfOrdernessMs() {
        return nonNegativeLong(Option.OUT_OF_ORDERNESS_MS);
    }

    /** Partition idleness timeout, ms. */
    public long idlenessMs() {
        return positiveLong(Option.IDLENESS_MS);
    }

    /** Default silence before a device is offline, ms. */
    public long offlineAfterMs() {
        return positiveLong(Option.OFFLINE_AFTER_MS);
    }

    /** Interval of {@code seen} events per device, ms; 0 disables them. */
    public long seenIntervalMs() {
        return nonNegativeLong(Option.SEEN_INTERVAL_MS);
    }

    /** Checkpoint interval, ms. */
    public long checkpointIntervalMs() {
        return positiveLong(Option.CHECKPOINT_INTERVAL_MS);
    }

    /** The checkpoint directory, if one is configured. */
    public Optional<String> checkpointDir() {
        return optional(Option.CHECKPOINT_DIR);
    }

    /** The checkpoint or savepoint to restore from, if any. */
    public Optional<String> restoreFrom() {
        return optional(Option.RESTORE_FROM);
    }

    /** The InfluxQL duration of the raw retention policy. */
    public String retentionRaw() {
        return string(Option.RETENTION_RAW);
    }

    public String retention1m() {
        return string(Option.RETENTION_1M);
    }

    public String retention1h() {
        return string(Option.RETENTION_1H);
    }

    public String retention1d() {
        return string(Option.RETENTION_1D);
    }

    /** The value of an option as given (or its default). */
    public String get(Option option) {
        return values.get(option);
    }

    private String string(Option option) {
        return values.get(option);
    }

    private Optional<String> optional(Option option) {
        String v = values.get(option);
        return v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    private long positiveLong(Option option) {
        long v = parseLong(option);
        if (v <= 0) {
            throw new IllegalArgumentException("--" + option.key + " must be positive, got " + v);
        }
        return v;
    }

    private long nonNegativeLong(Option option) {
        long v = parseLong(option);
        if (v < 0) {
            throw new IllegalArgumentException("--" + option.key + " must not be negative, got " + v);
        }
        return v;
    }

    private long parseLong(Option option) {
        String v = values.get(option);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option.key + " expects a whole number, got \"" + v + "\"");
        }
    }

    private void validate() {
        for (Option o : List.of(Option.KAFKA_BOOTSTRAP, Option.KAFKA_GROUP_ID, Option.KAFKA_TRANSACTIONAL_ID_PREFIX,
                Option.TOPIC_RAW, Option.TOPIC_AGG, Option.TOPIC_EVENTS, Option.TOPIC_DLQ, Option.INFLUX_URL)) {
            if (values.get(o).isBlank()) {
                throw new IllegalArgumentException("--" + o.key + " must not be empty");
            }
        }
        // Touch every numeric option so that a bad value fails here, at start, not when the job first reads it.
        transactionTimeoutMs();
        influxBatchSize();
        influxFlushIntervalMs();
        influxRawPoints();
        if (parallelism() > 1024) {
            throw new IllegalArgumentException("--" + Option.PARALLELISM.key + " must be at most 1024");
        }
        windowSizeMs();
        allowedLatenessMs();
        windowBatchMs();
        outOfOrdernessMs();
        idlenessMs();
        offlineAfterMs();
        seenIntervalMs();
        checkpointIntervalMs();
        if (!INFLUX_IDENTIFIER.matcher(influxDatabase()).matches()) {
            throw new IllegalArgumentException("--" + Option.INFLUX_DATABASE.key + " must match [A-Za-z0-9_]+, got \""
                    + influxDatabase() + "\"");
        }
        if (!influxUrl().startsWith("http://") && !influxUrl().startsWith("https://")) {
            throw new IllegalArgumentException("--" + Option.INFLUX_URL.key + " must be an http(s) URL, got \""
                    + influxUrl() + "\"");
        }
        for (Option o : List.of(Option.RETENTION_RAW, Option.RETENTION_1M, Option.RETENTION_1H, Option.RETENTION_1D)) {
            if (!INFLUX_DURATION.matcher(values.get(o)).matches()) {
                throw new IllegalArgumentException("--" + o.key + " expects an InfluxQL duration of at least an hour "
                        + "such as 7d, 12h, 4w or INF, got \"" + values.get(o) + "\"");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RealtimeJobConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "RealtimeJobConfig" + values;
    }

    /** Sets options over the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final EnumMap<Option, String> values = new EnumMap<>(Option.class);

        private Builder() {
            for (Option o : Option.values()) {
                values.put(o, o.defaultValue);
            }
        }

        /** Sets one option from its text form. */
        public Builder set(Option option, String value) {
            values.put(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, option.key).trim());
            return this;
        }

        /** Sets one option from a number. */
        public Builder set(Option option, long value) {
            return set(option, Long.toString(value));
        }

        /** Sets several options. */
        public Builder setAll(Map<Option, String> options) {
            options.forEach(this::set);
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first bad option
         */
        public RealtimeJobConfig build() {
            return new RealtimeJobConfig(new EnumMap<>(values));
        }
    }
}
