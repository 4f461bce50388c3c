package io.streamthings.flink.predictive;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.prediction.PredictionLines;
import io.streamthings.common.prediction.PredictionPoint;
import io.streamthings.common.influx.LineProtocol;
import io.streamthings.common.kafka.Topics;
import io.streamthings.flink.influx.InfluxSetup;
import io.streamthings.flink.influx.InfluxSink;
import io.streamthings.flink.realtime.DecodedRecord;
import io.streamthings.flink.realtime.Decoding;
import io.streamthings.flink.realtime.TelemetryEvent;
import io.streamthings.flink.predictive.PredictiveJobConfig.Option;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * The predictive job: reads stamped telemetry from {@code telemetry.raw} (the real-time job's codec) and keeps, per
 * device and metric, an online model ({@link io.streamthings.flink.predictive.model.SeriesForecaster}) that
 * <ul>
 * <li>forecasts the next values with a 95% band, written to InfluxDB's {@code predictions} measurement
 * ({@link PredictionLines}, {@code madeAt} = the reading's time, before the time forecast);</li>
 * <li>scores every reading (robust z-score of its error, {@code anomalyScore}) and turns anomalies into alerts on
 * {@code alerts} (rule {@code anomaly}, values metric, expected, actual, score, kind), as the rules service's;</li>
 * <li>estimates from the trend the time until the device type's min or max is crossed ({@code thresholdEtaMs}) where
 * the limits are configured ({@code --thresholds}).</li>
 * </ul>
 *
 * <p>Records that cannot be decoded are skipped here: the real-time job, reading the same topic, already sends them to
 * the dead letters with the reason. Forecast points are idempotent (series and time from the data), so a replay after
 * a restore overwrites them; alerts are at-least-once (the registry folds repeats).
 */
public final class PredictiveJob {

    /** The job's name in Flink. */
    public static final String JOB_NAME = "streamthings-predictive";

    private PredictiveJob() {
    }

    /** Runs the job on the environment Flink provides. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(PredictiveJobConfig.usage());
            return;
        }
        PredictiveJobConfig config;
        try {
            config = PredictiveJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** Configures the environment and adds the job's topology to it. */
    public static void build(StreamExecutionEnvironment env, PredictiveJobConfig config) {
        env.configure(flinkConfiguration(config));
        env.setParallelism((int) config.getLong(Option.PARALLELISM));
        KafkaSource<DecodedRecord> source = KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(config.get(Option.KAFKA_BOOTSTRAP))
                .setTopics(config.get(Option.TOPIC_RAW))
                .setGroupId(config.get(Option.KAFKA_GROUP_ID))
                .setClientIdPrefix(config.get(Option.KAFKA_GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new Deserializer())
                .build();
        DataStream<Reading> readings = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "telemetry.raw")
                .uid("predictive-source")
                .flatMap(new ToReadings())
                .name("readings")
                .uid("readings");
        SingleOutputStreamOperator<PredictionPoint> predictions = build(readings, config);
        predictions.sinkTo(new InfluxSink<PredictionPoint>(config.get(Option.INFLUX_URL),
                        config.get(Option.INFLUX_DATABASE), "", (int) config.getLong(Option.INFLUX_BATCH_SIZE),
                        config.getLong(Option.INFLUX_FLUSH_INTERVAL_MS), PredictiveJob::toLines,
                        new CreateDatabase(config.get(Option.INFLUX_DATABASE))))
                .name("influx-predictions")
                .uid("influx-predictions");
        predictions.getSideOutput(PredictFunction.ALERTS)
                .sinkTo(KafkaSink.<AlertEvent>builder()
                        .setBootstrapServers(config.get(Option.KAFKA_BOOTSTRAP))
                        .setRecordSerializer(new AlertSerializer(config.get(Option.TOPIC_ALERTS)))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .name("kafka-alerts")
                .uid("kafka-alerts");
    }

    /** The modelling part on its own: readings in, forecasts out, alerts on {@link PredictFunction#ALERTS}. */
    public static SingleOutputStreamOperator<PredictionPoint> build(DataStream<Reading> readings,
            PredictiveJobConfig config) {
        return readings
                .keyBy(Reading::seriesKey)
                .process(new PredictFunction(config.modelParams(), (int) config.getLong(Option.FORECAST_POINTS),
                        config.getLong(Option.FORECAST_HORIZON_MS), config.getLong(Option.ALERT_REPEAT_MS),
                        config.thresholds(), config.getLong(Option.THRESHOLD_HORIZON_MS)))
                .name("models")
                .uid("models");
    }

    static Configuration flinkConfiguration(PredictiveJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL,
                Duration.ofMillis(config.getLong(Option.CHECKPOINT_INTERVAL_MS)));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        config.optional(Option.CHECKPOINT_DIR).ifPresent(dir -> {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1);
        });
        config.optional(Option.RESTORE_FROM).ifPresent(path -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        });
        // Safe because no function of this job keeps or changes its input after passing it on; it saves a deep copy
        // of every record between chained operators (source to readings, models to the InfluxDB writer).
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    /** The point as {@link PredictionLines} describes it (same measurement, tags, fields and time). */
    static void toLines(PredictionPoint p, LineProtocol out) {
        out.point(PredictionLines.MEASUREMENT, p.ts())
                .tag("tenant", p.tenant())
                .tag("deviceId", p.deviceId())
                .tag("metric", p.metric())
                .tag("model", p.model())
                .field("forecast", p.forecast())
                .field("lower", p.lower())
                .field("upper", p.upper())
                .field("madeAt", p.madeAt());
        if (p.anomalyScore() != null) {
            out.field("anomalyScore", p.anomalyScore());
        }
        if (p.thresholdEtaMs() != null) {
            out.field("thresholdEtaMs", p.thresholdEtaMs().longValue());
        }
        out.end();
    }

    /** Creates the database when it does not exist; the predictions go to its default retention policy. */
    record CreateDatabase(String database) implements InfluxSetup {
        @Override
        public void apply(InfluxDB influx) {
            QueryResult result = influx.query(new Query("CREATE DATABASE \"" + database + "\""));
            if (result.getError() != null) {
                throw new IllegalStateException("InfluxDB refused to create " + database + ": " + result.getError());
            }
        }
    }

    /** Kafka records to decoded records, with the real-time job's decoding. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {
        private static final long serialVersionUID = 1L;
        private transient Decoding decoding;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
            if (decoding == null) {
                decoding = new Decoding();
            }
            out.collect(decoding.decode(record.key(), record.value(), record.timestamp()));
        }

        @Override
        public TypeInformation<DecodedRecord> getProducedType() {
            return TypeInformation.of(DecodedRecord.class);
        }
    }

    /** One reading per metric of each decodable record. */
    static final class ToReadings implements FlatMapFunction<DecodedRecord, Reading> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(DecodedRecord record, Collector<Reading> out) {
            if (!record.isOk()) {
                return;
            }
            TelemetryEvent e = record.event();
            for (int i = 0; i < e.metricNames().length; i++) {
                out.collect(new Reading(e.tenant(), e.deviceType(), e.deviceId(), e.metricNames()[i], e.ts(),
                        e.metricValues()[i]));
            }
        }
    }

    /** Alerts as the rules service writes them: the codecs of {@link Topics#ALERTS}, key {@code tenant/deviceId}. */
    static final class AlertSerializer implements KafkaRecordSerializationSchema<AlertEvent> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        AlertSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(AlertEvent alert, KafkaSinkContext context, Long timestamp) {
            // The topic's name is configurable; its key and value codecs are those of alerts.
            return new ProducerRecord<>(topic, Topics.ALERTS.encodeKey(alert.kafkaKey()),
                    Topics.ALERTS.encodeValue(alert));
        }
    }
}
