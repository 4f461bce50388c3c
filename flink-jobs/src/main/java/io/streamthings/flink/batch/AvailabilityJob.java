package io.streamthings.flink.batch;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEventCodec;
import io.streamthings.common.influx.DayAvailability;
import io.streamthings.flink.influx.InfluxSink;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The availability batch job: per device and UTC day of a range, uptime, outages and the longest outage
 * ({@link Availability}) from the presence events of {@code device.events}, into {@code rp_1d.availability_1d}, in
 * Flink's batch execution mode.
 *
 * <p>The topic is read by record time, bounded at both ends: from {@code lookbackMs} before the range (the events
 * there give the state a device starts the range in; a device silent for longer is taken as unknown until its next
 * event) to {@code lateMs} after it (an offline event is written once the device's timeout has passed). Events are
 * then kept by their own time. All of a device's events are on one partition (the key is the device), so its
 * Kafka offsets order events of equal time.
 *
 * <p>Idempotent: a day's point has the device's tags and the day's start as its time, and the figures depend only
 * on the events, so a rerun writes the same points over the first ones.
 */
public final class AvailabilityJob {

    /** The job's name in Flink. */
    public static final String JOB_NAME = "streamthings-availability";

    /**
     * When standalone runs it: a day an hour after it closed (the default {@code lateMs}: offline events come a
     * device's timeout late), the first run over the day before, a catch-up of at most 7 days (Kafka's default
     * retention of the topic: older events are gone).
     */
    public static final RollupSchedule SCHEDULE = new RollupSchedule(3_600_000L, Availability.DAY_MS,
            7 * Availability.DAY_MS);

    private AvailabilityJob() {
    }

    /** {@code AvailabilityJob --from 2026-12-01 --to 2026-12-02 [--kafka.bootstrap ...] [--influx.url ...]}. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(AvailabilityJobConfig.usage());
            return;
        }
        AvailabilityJobConfig config;
        try {
            config = AvailabilityJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** Adds the availability of the configured range to {@code env}, in batch execution mode. */
    public static void build(StreamExecutionEnvironment env, AvailabilityJobConfig config) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(config.parallelism());
        long readFrom = config.fromMs() - config.lookbackMs();
        KafkaSource<PresenceChange> source = KafkaSource.<PresenceChange>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(config.topic())
                .setGroupId(JOB_NAME)
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setStartingOffsets(OffsetsInitializer.timestamp(readFrom))
                .setBounded(OffsetsInitializer.timestamp(config.toMs() + config.lateMs()))
                .setDeserializer(new PresenceDeserializer(readFrom, config.toMs()))
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "device-events")
                .keyBy(PresenceChange::deviceKey)
                .window(GlobalWindows.createWithEndOfStreamTrigger())
                .process(new DeviceDays(config.fromMs(), config.toMs()))
                .name("availability")
                .sinkTo(new InfluxSink<DayAvailability>(config.influxUrl(), config.database(), DayAvailability.RETENTION_POLICY, 5_000, 1_000,
                        (day, out) -> day.write(out), new CreatePolicies(config.database(), DayAvailability.RETENTION_POLICY,
                                config.retention1d())))
                .name("influx-" + DayAvailability.MEASUREMENT);
    }

    /**
     * Presence events in [{@code fromMs}, {@code toMs}) by their own time; other events, and records that cannot be
     * decoded (a newer writer's type), are skipped: they say nothing about presence.
     */
    static final class PresenceDeserializer implements KafkaRecordDeserializationSchema<PresenceChange> {
        private static final long serialVersionUID = 1L;
        private final long fromMs;
        private final long toMs;

        PresenceDeserializer(long fromMs, long toMs) {
            this.fromMs = fromMs;
            this.toMs = toMs;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<PresenceChange> out) {
            if (record.value() == null) {
                return;
            }
            DeviceEvent e;
            try {
                e = DeviceEventCodec.INSTANCE.decode(record.value());
            } catch (RuntimeException undecodable) {
                return;
            }
            if (!e.kind().isPresence() || e.ts() < fromMs || e.ts() >= toMs) {
                return;
            }
            out.collect(new PresenceChange(e.tenant(), e.deviceId(), e.ts(), e.kind() != DeviceEvent.Kind.OFFLINE,
                    record.offset()));
        }

        @Override
        public TypeInformation<PresenceChange> getProducedType() {
            return TypeInformation.of(PresenceChange.class);
        }
    }

    /** All of one device's events, at the end of the input, into its days. */
    static final class DeviceDays extends ProcessWindowFunction<PresenceChange, DayAvailability, String, GlobalWindow> {
        private static final long serialVersionUID = 1L;
        private final long fromMs;
        private final long toMs;

        DeviceDays(long fromMs, long toMs) {
            this.fromMs = fromMs;
            this.toMs = toMs;
        }

        @Override
        public void process(String device, Context context, Iterable<PresenceChange> events,
                Collector<DayAvailability> out) {
            List<PresenceChange> all = new ArrayList<>();
            events.forEach(all::add);
            Availability.days(all, fromMs, toMs).forEach(out::collect);
        }
    }
}
