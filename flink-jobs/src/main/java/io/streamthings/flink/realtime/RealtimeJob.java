package io.streamthings.flink.realtime;

import io.streamthings.common.device.DeviceEvent;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The real-time job: reads stamped telemetry from {@code telemetry.raw} and
 * <ul>
 * <li>stores every record as a raw point in InfluxDB ({@code telemetry}, policy {@code raw});</li>
 * <li>aggregates each metric of each device over 1-minute tumbling event-time windows (count, min, max, sum, mean,
 * last, p95) into InfluxDB ({@code telemetry_1m}, policy {@code rp_1m}) and, exactly once, into
 * {@code telemetry.agg};</li>
 * <li>counts and stores the readings that come too late for their window ({@code telemetry_late}), so none is dropped
 * in silence, and sends undecodable records to {@code telemetry.dlq} with the reason;</li>
 * <li>detects devices going offline after a silence, and online again, on {@code device.events}.</li>
 * </ul>
 *
 * <p>Exactly-once results: checkpoints are exactly-once; the Kafka offsets are part of them; the InfluxDB writers flush
 * on each checkpoint and write idempotent points (series and timestamp from the data), and the aggregate topic is
 * written in Kafka transactions committed with the checkpoint. A job restored from a checkpoint therefore neither loses
 * nor double-counts a window.
 *
 * <p>{@link #main} only parses the options ({@link RealtimeJobConfig}) and calls {@link #build}, which the
 * integration tests run unchanged on a MiniCluster and the standalone launcher runs in its local one. The topology
 * takes its source and sinks as {@link RealtimeEndpoints}: {@code RealtimeJobTopologyTest} runs it on a bounded
 * source with collecting sinks, without Kafka or InfluxDB.
 */
public final class RealtimeJob {

    /** The job's name in Flink. */
    public static final String JOB_NAME = "streamthings-realtime";
    /** Name of the Kafka source operator (its metrics carry it as {@code <operator_name>}). */
    public static final String SOURCE_NAME = "telemetry.raw";
    /** Name of the window operator. */
    public static final String WINDOW_NAME = "windows-1m";

    /** Readings per batch at most on their way to the windows. */
    static final int BATCH_CAPACITY = 128;

    /** Readings that came after their window was gone (after the allowed lateness). */
    static final OutputTag<SeriesBatch> LATE = new OutputTag<>("late-readings") { };

    private RealtimeJob() {
    }

    /**
     * Runs the job on the environment Flink provides: a cluster under {@code flink run}, or a local MiniCluster when
     * started directly.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(RealtimeJobConfig.usage());
            return;
        }
        RealtimeJobConfig config;
        try {
            config = RealtimeJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute(JOB_NAME);
    }

    /**
     * Configures the environment (parallelism, checkpoints, restore) and adds the job's whole topology to it, reading
     * telemetry.raw from Kafka and writing to Kafka and InfluxDB ({@link RealtimeEndpoints#production}).
     */
    public static void build(StreamExecutionEnvironment env, RealtimeJobConfig config) {
        requireKafkaClientsShim();
        build(env, config, RealtimeEndpoints.production(config));
    }

    /**
     * Configures the environment (parallelism, checkpoints, restore) and adds the job's whole topology to it, between
     * the given source and sinks: the production ones, or a bounded source and collecting sinks in a test.
     */
    public static void build(StreamExecutionEnvironment env, RealtimeJobConfig config, RealtimeEndpoints io) {
        env.configure(flinkConfiguration(config));
        env.setParallelism(config.parallelism());

        // Watermarks are generated in the source, per Kafka partition, from the records' own event time: a device's
        // records keep their order within one partition, so the bound only has to cover a device's own disorder
        // (plus clock differences between devices on one partition). A partition with no traffic would hold the
        // watermark (the minimum over partitions) back forever: withIdleness lets it be ignored after a while.
        // Undecodable records have no event time: Long.MIN_VALUE keeps them from moving the watermark.
        WatermarkStrategy<DecodedRecord> watermarks = WatermarkStrategy
                .<DecodedRecord>forBoundedOutOfOrderness(Duration.ofMillis(config.outOfOrdernessMs()))
                .withTimestampAssigner((r, kafkaTs) -> r.isOk() ? r.event().ts() : Long.MIN_VALUE)
                .withIdleness(Duration.ofMillis(config.idlenessMs()));

        // Chained to the source, one operator splits off the undecodable records, passes every record on to the raw
        // points (when on), batches the readings per series and window for the shuffle to the windows (SeriesBatcher
        // says why the results are those of single readings) and throttles the devices' signs of life for presence.
        int batchCapacity = config.windowBatchMs() == 0 ? 1 : BATCH_CAPACITY;
        SingleOutputStreamOperator<SeriesBatch> batches = env
                .fromSource(io.source(), watermarks, SOURCE_NAME)
                .uid("source-telemetry-raw")
                .transform("batch-series", TypeInformation.of(SeriesBatch.class),
                        new SeriesBatchOperator(config.windowSizeMs(), batchCapacity,
                                Math.max(1, config.windowBatchMs()), config.influxRawPoints(),
                                config.offlineAfterMs()))
                .uid("batch-series");

        // Raw points: chained to the source, no shuffle.
        if (config.influxRawPoints()) {
            batches.getSideOutput(SeriesBatchOperator.RAW)
                    .sinkTo(io.rawPoints())
                    .name("influx-raw")
                    .uid("influx-raw");
        }

        // Windows: one series per tenant, device and metric; the window adds a batch's readings one by one.
        SingleOutputStreamOperator<WindowAggregate> aggregates = batches
                .keyBy(b -> Tuple3.of(b.tenant(), b.deviceId(), b.metric()),
                        new TupleTypeInfo<>(Types.STRING, Types.STRING, Types.STRING))
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(config.windowSizeMs())))
                .trigger(new WindowFunctions.CountingEventTimeTrigger())
                // Within the allowed lateness a late reading updates its window, which fires again with the full
                // values; InfluxDB keeps the last firing (same series and time) and telemetry.agg carries each
                // firing with its number. After that, the reading goes to the LATE side output.
                .allowedLateness(Duration.ofMillis(config.allowedLatenessMs()))
                .sideOutputLateData(LATE)
                .aggregate(new WindowFunctions.Aggregate(), new WindowFunctions.Emit())
                .name(WINDOW_NAME)
                .uid(WINDOW_NAME);

        aggregates.sinkTo(io.windowPoints())
                .name("influx-1m")
                .uid("influx-1m");

        aggregates.sinkTo(io.windowRecords())
                .name("kafka-agg")
                .uid("kafka-agg");

        aggregates.getSideOutput(LATE)
                .flatMap(new StreamFunctions.Unbatch())
                .name("late-readings")
                .uid("late-readings")
                .map(new StreamFunctions.CountLate())
                .name("count-late")
                .uid("count-late")
                .sinkTo(io.latePoints())
                .name("influx-late")
                .uid("influx-late");

        // Presence: the signs of life are throttled before the shuffle, so only about one per device per second
        // crosses the network to the keyed presence operator.
        DataStream<DeviceEvent> deviceEvents = batches.getSideOutput(SeriesBatchOperator.SEEN)
                .keyBy(DeviceSeen::key)
                .process(new DevicePresenceFunction(config.seenIntervalMs()))
                .name("presence")
                .uid("presence");

        deviceEvents.sinkTo(io.deviceEvents())
                .name("kafka-device-events")
                .uid("kafka-device-events");

        batches.getSideOutput(SeriesBatchOperator.UNDECODABLE)
                .sinkTo(io.deadLetters())
                .name("kafka-dlq")
                .uid("kafka-dlq");
    }

    /** The Flink settings the job's options imply: checkpoints, their storage and retention, restore, object reuse. */
    public static Configuration flinkConfiguration(RealtimeJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(config.checkpointIntervalMs()));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                Duration.ofMillis(Math.min(config.checkpointIntervalMs() / 2, 5_000)));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        config.checkpointDir().ifPresent(dir -> {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            // Kept when the job is cancelled or the platform stops, so the next start can resume from it.
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1);
        });
        config.restoreFrom().ifPresent(path -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            // The new job owns the restored checkpoint and deletes it once subsumed: no pile-up across restarts.
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        });
        // Safe because no function of this job keeps or mutates its input after passing it on; it saves a deep copy
        // of every record between chained operators.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // Every type of the job has a Flink serializer; falling back to Kryo would be a bug (and slow).
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * Fails fast when kafka-clients' own {@code TransactionalRequestResult} was loaded instead of this module's shim:
     * the exactly-once sink would then fail every checkpoint with a {@code NoSuchMethodError} and the job restart over
     * and over (see the shim's Javadoc; flink-jobs must precede kafka-clients on the class path).
     */
    static void requireKafkaClientsShim() {
        try {
            org.apache.kafka.clients.producer.internals.TransactionalRequestResult.class.getMethod("await");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("kafka-clients' TransactionalRequestResult (from "
                    + org.apache.kafka.clients.producer.internals.TransactionalRequestResult.class.getProtectionDomain()
                            .getCodeSource() + ") hides the shim of flink-jobs: put flink-jobs before kafka-clients "
                    + "on the class path, or the exactly-once Kafka sink fails every checkpoint", e);
        }
    }
}
