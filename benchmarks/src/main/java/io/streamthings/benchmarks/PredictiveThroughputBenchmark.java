package io.streamthings.benchmarks;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.metrics.FlinkMetricsSummary;
import io.streamthings.flink.metrics.SnapshotMetricReporter;
import io.streamthings.flink.predictive.PredictiveJob;
import io.streamthings.flink.predictive.PredictiveJobConfig;
import io.streamthings.flink.realtime.RealtimeJob;
import io.streamthings.flink.realtime.RealtimeJobConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records/s of the predictive job against the real-time job on the same records: one topic pre-filled with
 * {@code records} stamped records (2 metrics, {@code devices} devices, one record per device per second), then, round
 * after round, each job reads the whole topic from the start with a consumer group of its own, at the same
 * parallelism: the real-time job as production runs it but with raw points off (its 1-minute windows, aggregates to
 * Kafka and InfluxDB, presence), the predictive job as production runs it (a model per device and metric, a forecast
 * per reading into InfluxDB, alerts). A job's rate counts from its first record read until its last operator of
 * interest took in every reading (windows: {@code windowReadings} plus late ones; predictive: the models' input).
 * The first round warms up and is not reported.
 *
 * <p>Options: {@code records} (300000), {@code devices} (1000), {@code parallelism} (2), {@code rounds} (2),
 * {@code out}.
 */
public final class PredictiveThroughputBenchmark {

    private static final String TOPIC = "bench.raw";

    private PredictiveThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchmarkArgs.parse(args);
        int records = Integer.parseInt(opts.getOrDefault("records", "300000"));
        int devices = Integer.parseInt(opts.getOrDefault("devices", "1000"));
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", "2"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/predictive-throughput.md"));
        Path work = Files.createTempDirectory("predictive-bench");
        List<Double> realtime = new ArrayList<>();
        List<Double> predictive = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
                InfluxServer influx = InfluxServer.start(work.resolve("influx"), 0)) {
            kafka.createTopics(List.of(new TopicSpec(TOPIC, 6, false), new TopicSpec("bench.agg", 6, false),
                    new TopicSpec("bench.events", 3, false), new TopicSpec("bench.dlq", 2, false),
                    new TopicSpec("bench.alerts", 3, false)));
            long t0 = (System.currentTimeMillis() / 60_000 - 24 * 60) * 60_000;
            prefill(kafka, records, devices, t0);
            for (int round = 0; round <= rounds; round++) {
                double r = realtimeRound(kafka, influx, work, round, parallelism, records);
                double p = predictiveRound(kafka, influx, work, round, parallelism, records);
                System.out.printf(Locale.ROOT, "round %d: real-time %,.0f records/s, predictive %,.0f records/s%n",
                        round, r, p);
                if (round > 0) {
                    realtime.add(r);
                    predictive.add(p);
                }
            }
        }
        double r = median(realtime);
        double p = median(predictive);
        String md = String.format(Locale.ROOT, "# Predictive job against the real-time job: throughput%n%n"
                + "Generated %s by `PredictiveThroughputBenchmark` (`benchmarks/run.sh predictive-throughput`) on "
                + "this machine (2 cores, shared with other builds: read the figures as a floor). Input: %,d "
                + "stamped records (2 metrics each, %,d devices), 6 partitions; each job reads them all from the "
                + "start at parallelism %d, Kafka, influxd and the MiniCluster on the same cores; median of %d "
                + "rounds after one warm-up round.%n%n| job | records/s (rounds) |%n|---|---|%n"
                + "| real-time (windows, aggregates to Kafka and InfluxDB; raw points off) | %,.0f (%s) |%n"
                + "| predictive (model per series, a forecast per reading into InfluxDB, alerts) | %,.0f (%s) |%n%n"
                + "Ratio predictive / real-time: **%.2f** (target: at least 0.5).%n", Instant.now().toString()
                .substring(0, 16) + "Z", records, devices, parallelism, rounds, r, list(realtime), p,
                list(predictive), p / r);
        System.out.print(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
    }

    private static String list(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
    }

    private static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double realtimeRound(EmbeddedKafka kafka, InfluxServer influx, Path work, int round,
            int parallelism, int records) throws Exception {
        String run = "rt-" + round;
        RealtimeJobConfig config = RealtimeJobConfig.builder()
                .set(RealtimeJobConfig.Option.KAFKA_BOOTSTRAP, kafka.bootstrapServers())
                .set(RealtimeJobConfig.Option.KAFKA_GROUP_ID, "bench-" + run)
                .set(RealtimeJobConfig.Option.KAFKA_TRANSACTIONAL_ID_PREFIX, "bench-" + run)
                .set(RealtimeJobConfig.Option.TOPIC_RAW, TOPIC)
                .set(RealtimeJobConfig.Option.TOPIC_AGG, "bench.agg")
                .set(RealtimeJobConfig.Option.TOPIC_EVENTS, "bench.events")
                .set(RealtimeJobConfig.Option.TOPIC_DLQ, "bench.dlq")
                .set(RealtimeJobConfig.Option.INFLUX_URL, influx.url())
                .set(RealtimeJobConfig.Option.INFLUX_DATABASE, "bench_rt")
                .set(RealtimeJobConfig.Option.INFLUX_RAW_POINTS, "false")
                .set(RealtimeJobConfig.Option.PARALLELISM, parallelism)
                .set(RealtimeJobConfig.Option.CHECKPOINT_DIR, work.resolve("chk-" + run).toUri().toString())
                .set(RealtimeJobConfig.Option.IDLENESS_MS, 5_000)
                .build();
        StreamExecutionEnvironment env = env(parallelism);
        RealtimeJob.build(env, config);
        JobClient job = env.executeAsync(run);
        double rate = measure(records, RealtimeJob.SOURCE_NAME, 2L * records, () ->
                sum("windowReadings", FlinkMetricsSummary.operator(RealtimeJob.WINDOW_NAME))
                        + sum("lateRecords", v -> true));
        job.cancel().get(60, TimeUnit.SECONDS);
        return rate;
    }

    private static double predictiveRound(EmbeddedKafka kafka, InfluxServer influx, Path work, int round,
            int parallelism, int records) throws Exception {
        String run = "pr-" + round;
        PredictiveJobConfig config = PredictiveJobConfig.builder()
                .set(PredictiveJobConfig.Option.KAFKA_BOOTSTRAP, kafka.bootstrapServers())
                .set(PredictiveJobConfig.Option.KAFKA_GROUP_ID, "bench-" + run)
                .set(PredictiveJobConfig.Option.TOPIC_RAW, TOPIC)
                .set(PredictiveJobConfig.Option.TOPIC_ALERTS, "bench.alerts")
                .set(PredictiveJobConfig.Option.INFLUX_URL, influx.url())
                .set(PredictiveJobConfig.Option.INFLUX_DATABASE, "bench_pr")
                .set(PredictiveJobConfig.Option.PARALLELISM, parallelism)
                .set(PredictiveJobConfig.Option.CHECKPOINT_DIR, work.resolve("chk-" + run).toUri().toString())
                .build();
        StreamExecutionEnvironment env = env(parallelism);
        PredictiveJob.build(env, config);
        JobClient job = env.executeAsync(run);
        double rate = measure(records, "telemetry.raw", 2L * records, () ->
                sum("numRecordsIn", FlinkMetricsSummary.operator("models")));
        job.cancel().get(60, TimeUnit.SECONDS);
        return rate;
    }

    private static double measure(int records, String source, long target, java.util.function.LongSupplier through)
            throws Exception {
        long start = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (true) {
            if (start == 0 && sum("numRecordsIn", FlinkMetricsSummary.operator(source)) > 0) {
                start = System.nanoTime();
            }
            long done = through.getAsLong();
            if (done >= target) {
                return records / ((System.nanoTime() - start) / 1e9);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + done + " of " + target + " through");
            }
            Thread.sleep(50);
        }
    }

    private static long sum(String metric, Predicate<Map<String, String>> where) {
        long total = 0;
        for (SnapshotMetricReporter.Registered r : SnapshotMetricReporter.metrics().values()) {
            if (r.name().equals(metric) && where.test(r.variables()) && r.value() != null) {
                total += r.value().longValue();
            }
        }
        return total;
    }

    private static void prefill(EmbeddedKafka kafka, int records, int devices, long t0) {
        TelemetryCodec codec = new TelemetryCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // acks=1 as FlinkRealtimeBenchmark: the idempotent producer (acks=all) stalled for minutes on
                // out-of-order sequence retries while the fresh topic's leaders settled.
                ProducerConfig.ACKS_CONFIG, "1"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                int d = i % devices;
                long ts = t0 + (long) (i / devices) * 1000;
                StampedTelemetry s = new StampedTelemetry("acme", "thermo", "dev-" + d, ts + 20,
                        new TelemetryRecord(ts, Map.of("temperature", 20.0 + (i % 100) / 10.0,
                                "humidity", 40.0 + (i % 37)), Map.of("site", "plant-" + (d % 4))));
                producer.send(new ProducerRecord<>(TOPIC, s.key().getBytes(StandardCharsets.UTF_8),
                        codec.encodeStamped(s)));
            }
            producer.flush();
        }
    }

    private static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        SnapshotMetricReporter.configure(conf);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }
}
