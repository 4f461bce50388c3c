package io.streamthings.flink.predictive;

import io.streamthings.common.kafka.Topics;
import io.streamthings.flink.predictive.model.ModelParams;
import io.streamthings.kafka.Flags;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options of {@link PredictiveJob}, immutable once parsed; {@code PredictiveJob --help} lists them with their
 * defaults, which work in standalone mode.
 *
 * @param values every option's value, as text
 * @param thresholds the known limits per {@code deviceType/metric}: {min, max}, NaN where unknown
 */
public record PredictiveJobConfig(Map<Option, String> values, Map<String, double[]> thresholds)
        implements Serializable {

    /** The options with their defaults (null: none). */
    public enum Option {
        KAFKA_BOOTSTRAP("kafka.bootstrap", "localhost:9092", "Kafka bootstrap servers"),
        KAFKA_GROUP_ID("kafka.groupId", "streamthings-predictive", "consumer group of the job"),
        TOPIC_RAW("topic.raw", Topics.TELEMETRY_RAW.name(), "stamped telemetry in"),
        TOPIC_ALERTS("topic.alerts", Topics.ALERTS.name(), "anomaly alerts out"),
        INFLUX_URL("influx.url", "http://localhost:8086", "InfluxDB base URL"),
        INFLUX_DATABASE("influx.database", "streamthings", "InfluxDB database (predictions go to its default policy)"),
        INFLUX_BATCH_SIZE("influx.batchSize", "5000", "points per InfluxDB write"),
        INFLUX_FLUSH_INTERVAL_MS("influx.flushIntervalMs", "1000", "longest wait of a point before it is written"),
        PARALLELISM("parallelism", "1", "Flink parallelism"),
        FORECAST_POINTS("forecast.points", "1", "forecasts written per reading, one horizon apart"),
        FORECAST_HORIZON_MS("forecast.horizonMs", "0", "time between forecasts; 0: the series' typical step"),
        ANOMALY_Z("anomaly.z", String.valueOf(ModelParams.DEFAULTS.zThreshold()),
                "robust z-score above which a reading is anomalous"),
        ANOMALY_MIN_DEVIATION("anomaly.minDeviation", String.valueOf(ModelParams.DEFAULTS.minDeviation()),
                "deviation from the forecast below which nothing alarms, metric units"),
        ALERT_REPEAT_MS("alert.repeatMs", "600000", "an ongoing anomaly of a series alerts again at most this often"),
        THRESHOLDS("thresholds", "", "known limits, deviceType/metric=min:max separated by commas (either may be "
                + "empty), e.g. thermo/temperature=-10:90"),
        THRESHOLD_HORIZON_MS("threshold.horizonMs", String.valueOf(30L * 86_400_000L),
                "crossings further ahead than this are not reported"),
        CHECKPOINT_INTERVAL_MS("checkpoint.intervalMs", "10000", "checkpoint interval"),
        CHECKPOINT_DIR("checkpoint.dir", null, "where checkpoints are kept (retained on cancel); none: in memory"),
        RESTORE_FROM("checkpoint.restoreFrom", null, "a checkpoint to resume from");

        private final String key;
        private final String defaultValue;
        private final String help;

        Option(String key, String defaultValue, String help) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.help = help;
        }

        /** The name on the command line, without {@code --}. */
        public String key() {
            return key;
        }
    }

    public PredictiveJobConfig {
        values = Map.copyOf(values);
        thresholds = Map.copyOf(thresholds);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Parses {@code --name value} (or {@code --name=value}) pairs; an unknown option or a bad value fails naming it. */
    public static PredictiveJobConfig parse(String... args) {
        Builder b = builder();
        for (Flags.Flag flag : Flags.parse(args)) {
            b.set(Flags.option(flag, Option.values(), o -> o.key, PredictiveJobConfig::usage), flag.value());
        }
        return b.build();
    }

    /** Every option with its default. */
    public static String usage() {
        StringBuilder out = new StringBuilder("PredictiveJob options:\n");
        for (Option o : Option.values()) {
            out.append("  --").append(o.key).append(' ')
                    .append(o.defaultValue == null ? "(none)" : "(default " + o.defaultValue + ")").append("  ")
                    .append(o.help).append('\n');
        }
        return out.toString();
    }

    /** Builds a configuration option by option. */
    public static final class Builder {
        private final Map<Option, String> values = new LinkedHashMap<>();

        private Builder() {
            for (Option o : Option.values()) {
                if (o.defaultValue != null) {
                    values.put(o, o.defaultValue);
                }
            }
        }

        /** Sets an option. */
        public Builder set(Option option, Object value) {
            values.put(option, String.valueOf(value));
            return this;
        }

        /** Checks every value. */
        public PredictiveJobConfig build() {
            for (Option o : new Option[] {Option.INFLUX_BATCH_SIZE, Option.INFLUX_FLUSH_INTERVAL_MS,
                    Option.PARALLELISM, Option.FORECAST_POINTS, Option.CHECKPOINT_INTERVAL_MS}) {
                if (number(o) < 1) {
                    throw new IllegalArgumentException("--" + o.key + " must be at least 1, got " + values.get(o));
                }
            }
            for (Option o : new Option[] {Option.FORECAST_HORIZON_MS, Option.ALERT_REPEAT_MS,
                    Option.THRESHOLD_HORIZON_MS}) {
                if (number(o) < 0) {
                    throw new IllegalArgumentException("--" + o.key + " must not be negative, got " + values.get(o));
                }
            }
            if (number(Option.FORECAST_POINTS) > 1_000) {
                throw new IllegalArgumentException("--forecast.points must be at most 1000");
            }
            double z = decimal(Option.ANOMALY_Z);
            double minDev = decimal(Option.ANOMALY_MIN_DEVIATION);
            if (!(z > 0) || !(minDev >= 0)) {
                throw new IllegalArgumentException("--anomaly.z must be positive and --anomaly.minDeviation not "
                        + "negative");
            }
            return new PredictiveJobConfig(values, parseThresholds(values.get(Option.THRESHOLDS)));
        }

        private long number(Option o) {
            try {
                return Long.parseLong(values.get(o).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + o.key + ": expected a whole number, got " + values.get(o));
            }
        }

        private double decimal(Option o) {
            try {
                return Double.parseDouble(values.get(o).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + o.key + ": expected a number, got " + values.get(o));
            }
        }
    }

    static Map<String, double[]> parseThresholds(String text) {
        Map<String, double[]> out = new HashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            String[] range = kv.length == 2 ? kv[1].split(":", -1) : new String[0];
            if (kv.length != 2 || !kv[0].contains("/") || range.length != 2) {
                throw new IllegalArgumentException("--thresholds: expected deviceType/metric=min:max, got " + entry);
            }
            try {
                double min = range[0].isBlank() ? Double.NaN : Double.parseDouble(range[0]);
                double max = range[1].isBlank() ? Double.NaN : Double.parseDouble(range[1]);
                if (min >= max) {
                    throw new IllegalArgumentException("--thresholds: min must be below max in " + entry);
                }
                out.put(kv[0].trim(), new double[] {min, max});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--thresholds: expected numbers in " + entry);
            }
        }
        return out;
    }

    /** The text value of an option. */
    public String get(Option option) {
        return values.get(option);
    }

    /** An option as a whole number. */
    public long getLong(Option option) {
        return Long.parseLong(values.get(option).trim());
    }

    /** An optional option. */
    public Optional<String> optional(Option option) {
        return Optional.ofNullable(values.get(option)).filter(s -> !s.isBlank());
    }

    /** The model parameters these options give a series without trained ones. */
    public ModelParams modelParams() {
        ModelParams d = ModelParams.DEFAULTS;
        return new ModelParams(d.alpha(), d.beta(), d.gamma(), d.gammaWeek(), d.dayBins(),
                Double.parseDouble(get(Option.ANOMALY_Z)), d.clip(), Double.parseDouble(get(Option.ANOMALY_MIN_DEVIATION)),
                d.minRelDeviation(), d.shiftRun(), d.stuckRun(), d.baselineAlpha(), d.driftZ(), d.warmup());
    }
}
