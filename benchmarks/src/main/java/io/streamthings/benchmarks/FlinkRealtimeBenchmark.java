package io.streamthings.benchmarks;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.metrics.FlinkMetricsSummary;
import io.streamthings.flink.metrics.SnapshotMetricReporter;
import io.streamthings.flink.realtime.DecodedRecord;
import io.streamthings.flink.realtime.Decoding;
import io.streamthings.flink.realtime.InfluxPoints;
import io.streamthings.flink.realtime.RealtimeJob;
import io.streamthings.flink.realtime.RealtimeJobConfig;
import io.streamthings.flink.realtime.RealtimeJobConfig.Option;
import io.streamthings.flink.realtime.RetentionPolicies;
import io.streamthings.flink.realtime.TelemetryEvent;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Benchmark of the real-time Flink job, all in one run against a real embedded Kafka broker and a real influxd:
 * <ol>
 * <li>pre-fills a 6-partition topic with stamped telemetry (default 2,000,000 records, 2 metrics each, 1,000
 * devices);</li>
 * <li>records/s from Kafka through the 1-minute windows (the production topology of {@link RealtimeJob#build}, raw
 * points off) at parallelism 1 and 2, and records/s of a bare job that only reads and decodes the same topic, at the
 * same parallelism: the ratio is the cost of the windows. {@code warmup} warm-up rounds, then {@code rounds} rounds of
 * the four jobs, bare and windows alternately; the medians are reported, with the CPU time of the JVM per record and
 * the JIT's compile time;</li>
 * <li>raw points/s into InfluxDB by the full production job (raw points on, parallelism 2) on the first
 * {@code influxRecords} records, and by influxdb-java writing the same points directly from 2 threads in batches of
 * the same size;</li>
 * <li>latency from ingest ({@code receivedAt}) to the window in InfluxDB on a live stream with 10-second windows.</li>
 * </ol>
 * Prints the figures and writes them to {@code results/flink-realtime.md}.
 *
 * <p>Arguments (all optional): {@code records=2000000 devices=1000 warmup=2 rounds=3 influxRecords=500000
 * liveSeconds=40 out=results/flink-realtime.md}.
 */
public final class FlinkRealtimeBenchmark {

    private static final String TOPIC = "bench.raw";
    private static final int PARTITIONS = 6;
    private static final int BATCH = 5_000;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static Path work;

    private FlinkRealtimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("records", "2000000", "devices", "1000",
                "influxRecords", "500000", "liveSeconds", "40", "out", "results/flink-realtime.md"));
        a.putAll(BenchmarkArgs.parse(args));
        int records = Integer.parseInt(a.get("records"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "2"));
        int devices = Integer.parseInt(a.get("devices"));
        int influxRecords = Math.min(records, Integer.parseInt(a.get("influxRecords")));
        int liveSeconds = Integer.parseInt(a.get("liveSeconds"));
        quietLogging();

        work = Files.createTempDirectory("flink-realtime-bench");
        StringBuilder report = new StringBuilder();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
                InfluxServer influx = InfluxServer.start(work.resolve("influx"), 0)) {
            kafka.createTopics(List.of(new TopicSpec(TOPIC, PARTITIONS, false), new TopicSpec("bench.agg", 6, false),
                    new TopicSpec("bench.events", 3, false), new TopicSpec("bench.dlq", 2, false),
                    new TopicSpec("bench.live", PARTITIONS, false)));
            long t0 = (System.currentTimeMillis() / 60_000 - 24 * 60) * 60_000; // a day ago: inside the raw policy
            long fillStart = System.nanoTime();
            prefill(kafka, records, devices, t0);
            double fillSeconds = seconds(fillStart);
            log("pre-filled %,d records in %.1f s (%,.0f records/s)", records, fillSeconds, records / fillSeconds);

            // The first `warmup` rounds warm up (not reported): the JIT compiles both jobs' code. One round is not
            // enough: the windows job's less frequent paths (the transactional Kafka producer, the broker's
            // appends and requests) reach the compile thresholds only in the second, and a measured round then spent
            // up to 1 s of its 2 cores compiling. What is left after two is per job (new producers and connections,
            // a recompile as they start); each job's compile time is logged and reported, so it shows. Then each round runs the four jobs again on the whole
            // topic, each from the start with a consumer group of its own, bare and windows alternately, so that
            // both sides of a ratio see much the same load from whatever else runs on the machine; the report gives
            // the median of the rounds.
            List<List<Rate>> bare = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<Rate>> windows = List.of(new ArrayList<>(), new ArrayList<>());
            for (int round = 1 - warmup; round <= rounds; round++) {
                for (int p = 1; p <= 2; p++) {
                    Rate b = bareJob(kafka, round, p, records);
                    Rate w = windowJob(kafka, influx, round, p, records);
                    if (round > 0) {
                        bare.get(p - 1).add(b);
                        windows.get(p - 1).add(w);
                    }
                }
            }

            double flinkPoints = rawPointsByJob(kafka, influx, influxRecords);
            double directPoints = rawPointsDirect(influx, influxRecords, devices, t0);
            List<Long> latencies = liveLatency(kafka, influx, devices / 5, liveSeconds);

            report.append("# Real-time Flink job: benchmark\n\n")
                    .append("Run ").append(Instant.now()).append(" on ")
                    .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                    .append(System.getProperty("java.version")).append("; Kafka (KRaft), influxd and Flink's ")
                    .append("MiniCluster in one JVM plus the influxd process, all on the same cores.\n\n")
                    .append(String.format(Locale.ROOT, "Input: %,d stamped records (2 metrics each, %,d devices, "
                            + "one record per device per second of event time), %d partitions, pre-filled at "
                            + "%,.0f records/s.%n%n", records, devices, PARTITIONS, records / fillSeconds))
                    .append("## Kafka to window aggregates\n\n")
                    .append(String.format(Locale.ROOT, "Median of %d rounds (after %d warm-up rounds); the ratio of "
                            + "each round in parentheses.%n%n", rounds, warmup))
                    .append("| parallelism | windows job (records/s) | bare read + decode (records/s) | ratio "
                            + "| JVM CPU µs/record, windows / bare | JIT compile ms per run, windows / bare |\n")
                    .append("|---|---|---|---|---|---|\n")
                    .append(row(1, windows.get(0), bare.get(0)))
                    .append(row(2, windows.get(1), bare.get(1))).append('\n')
                    .append("The windows job is the production topology (`RealtimeJob.build`) with raw points off: ")
                    .append("decode, readings batched per series, keyBy, 1-minute windows, aggregates to InfluxDB `telemetry_1m` and ")
                    .append("exactly-once to Kafka, presence, checkpoints every 10 s. Rate = records read / time from ")
                    .append("the first record read to the last reading taken in by the window operator (its ")
                    .append("`windowReadings` plus `lateRecords`). JVM CPU = CPU time of this whole JVM (Flink, ")
                    .append("the Kafka broker, the harness) over the same interval, per record: on shared cores it ")
                    .append("moves less with the machine's load than records/s. JIT compile ms = the JVM's ")
                    .append("compilation time (`CompilationMXBean`) over the same interval: the compiler threads' ")
                    .append("work that a warm job would not do, as elapsed time (more than their CPU when they wait ")
                    .append("for a core).\n\n")
                    .append("## Raw points into InfluxDB\n\n")
                    .append("| writer | points/s |\n|---|---|\n")
                    .append(String.format(Locale.ROOT, "| full production job, parallelism 2 (%,d points) | %,.0f |%n",
                            influxRecords, flinkPoints))
                    .append(String.format(Locale.ROOT, "| influxdb-java directly, 2 threads, batches of %,d | %,.0f |%n",
                            BATCH, directPoints))
                    .append(String.format(Locale.ROOT, "%nRatio: %.2f.%n%n", flinkPoints / directPoints))
                    .append("## Latency from ingest to the window in InfluxDB\n\n")
                    .append(String.format(Locale.ROOT, "Live stream of %d devices x 10 records/s for %d s, "
                            + "10-second windows, 5 s out-of-orderness: time from the latest `receivedAt` of a "
                            + "window's readings to the window being readable in InfluxDB (polled every 100 ms), over "
                            + "%d windows: p50 %d ms, p95 %d ms, max %d ms.%n", devices / 5, liveSeconds,
                            latencies.size(), pct(latencies, 0.5), pct(latencies, 0.95), pct(latencies, 1.0)));
        }
        System.out.println();
        System.out.println(report);
        Path out = Path.of(a.get("out"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report.toString());
        System.exit(0);
    }

    private static void prefill(EmbeddedKafka kafka, int records, int devices, long t0) throws Exception {
        TelemetryCodec codec = new TelemetryCodec();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
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

    private static String row(int parallelism, List<Rate> windows, List<Rate> bare) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            ratios.add(windows.get(i).perSecond() / bare.get(i).perSecond());
        }
        return String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f (%s) | %.2f / %.2f | %.0f / %.0f |%n",
                parallelism, median(windows, Rate::perSecond), median(bare, Rate::perSecond), median(ratios, r -> r),
                String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()),
                median(windows, Rate::cpuMicros), median(bare, Rate::cpuMicros), median(windows, Rate::jitMillis),
                median(bare, Rate::jitMillis));
    }

    private static <T> double median(List<T> values, java.util.function.ToDoubleFunction<T> f) {
        double[] sorted = values.stream().mapToDouble(f).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A job that only reads the topic and decodes each record, then discards it. */
    private static Rate bareJob(EmbeddedKafka kafka, int round, int parallelism, int records) throws Exception {
        StreamExecutionEnvironment env = env(parallelism);
        KafkaSource<DecodedRecord> source = KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(TOPIC)
                .setGroupId("bare-" + parallelism + "-round-" + round)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new DecodeOnly())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "bare-source")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        JobClient job = env.executeAsync("bare-read-decode-p" + parallelism);
        Rate rate = measure(records, "bare-source", 1,
                new MetricSum("numRecordsIn", FlinkMetricsSummary.operator("bare-source")));
        job.cancel().get(60, TimeUnit.SECONDS);
        log("round %d, bare read+decode, parallelism %d: %,.0f records/s, %.2f µs CPU/record, JIT %.0f ms", round,
                parallelism, rate.perSecond(), rate.cpuMicros(), rate.jitMillis());
        return rate;
    }

    private static Rate windowJob(EmbeddedKafka kafka, InfluxServer influx, int round, int parallelism,
            int records) throws Exception {
        RealtimeJobConfig config = config(kafka, influx, parallelism, "windows-" + parallelism + "-round-" + round)
                .set(Option.INFLUX_DATABASE, "bench_windows_" + parallelism)
                .set(Option.INFLUX_RAW_POINTS, "false")
                .build();
        StreamExecutionEnvironment env = env(parallelism);
        RealtimeJob.build(env, config);
        JobClient job = env.executeAsync("windows-p" + parallelism);
        // Two metrics per record: the window operator takes in 2 readings per record (in batches per series; its
        // trigger counts them in windowReadings, and the readings after the allowed lateness in lateRecords).
        MetricSum windowReadings = new MetricSum("windowReadings",
                FlinkMetricsSummary.operator(RealtimeJob.WINDOW_NAME));
        MetricSum lateRecords = new MetricSum("lateRecords", v -> true);
        Rate rate = measure(records, RealtimeJob.SOURCE_NAME, 2,
                () -> windowReadings.getAsLong() + lateRecords.getAsLong());
        job.cancel().get(60, TimeUnit.SECONDS);
        log("round %d, windows job, parallelism %d: %,.0f records/s, %.2f µs CPU/record, JIT %.0f ms", round,
                parallelism, rate.perSecond(), rate.cpuMicros(), rate.jitMillis());
        return rate;
    }

    private static double rawPointsByJob(EmbeddedKafka kafka, InfluxServer influx, int influxRecords)
            throws Exception {
        RealtimeJobConfig config = config(kafka, influx, 2, "raw").build();
        StreamExecutionEnvironment env = env(2);
        RealtimeJob.build(env, config);
        JobClient job = env.executeAsync("raw-points");
        long start = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        double rate;
        while (true) {
            long written = sum("influxPointsWritten", v -> "influx-raw: Writer".equals(v.get("<operator_name>")));
            if (start == 0 && written > 0) {
                start = System.nanoTime();
            }
            if (written >= influxRecords) {
                rate = influxRecords / seconds(start);
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("raw points: only " + written + " written");
            }
            Thread.sleep(20);
        }
        job.cancel().get(60, TimeUnit.SECONDS);
        log("raw points by the job: %,.0f points/s", rate);
        return rate;
    }

    private static double rawPointsDirect(InfluxServer influx, int influxRecords, int devices, long t0)
            throws Exception {
        // The same points as the job writes first: the start of the pre-filled topic, decoded the same way.
        TelemetryCodec codec = new TelemetryCodec();
        List<Point> points = new ArrayList<>(influxRecords);
        for (int i = 0; i < influxRecords; i++) {
            int d = i % devices;
            long ts = t0 + (long) (i / devices) * 1000;
            StampedTelemetry s = new StampedTelemetry("acme", "thermo", "dev-" + d, ts + 20,
                    new TelemetryRecord(ts, Map.of("temperature", 20.0 + (i % 100) / 10.0,
                            "humidity", 40.0 + (i % 37)), Map.of("site", "plant-" + (d % 4))));
            points.add(InfluxPoints.raw(TelemetryEvent.from(codec.decodeStamped(codec.encodeStamped(s)))));
        }
        String db = "bench_direct";
        try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            new RetentionPolicies(db, Map.of(RetentionPolicies.RAW, "7d")).apply(client);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            List<Point> share = points.subList(w * influxRecords / 2, (w + 1) * influxRecords / 2);
            futures.add(pool.submit(() -> {
                try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
                    for (int i = 0; i < share.size(); i += BATCH) {
                        client.write(BatchPoints.database(db).retentionPolicy(RetentionPolicies.RAW)
                                .precision(TimeUnit.MILLISECONDS)
                                .points(share.subList(i, Math.min(share.size(), i + BATCH))).build());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double rate = influxRecords / seconds(start);
        pool.shutdown();
        log("raw points by influxdb-java directly: %,.0f points/s", rate);
        return rate;
    }

    /** Ingest-to-InfluxDB latency of windows on a live stream. */
    private static List<Long> liveLatency(EmbeddedKafka kafka, InfluxServer influx, int devices, int liveSeconds)
            throws Exception {
        RealtimeJobConfig config = config(kafka, influx, 2, "live")
                .set(Option.TOPIC_RAW, "bench.live")
                .set(Option.INFLUX_DATABASE, "bench_live")
                .set(Option.WINDOW_SIZE_MS, 10_000)
                .set(Option.INFLUX_RAW_POINTS, "false")
                .set(Option.INFLUX_FLUSH_INTERVAL_MS, 100)
                .build();
        StreamExecutionEnvironment env = env(2);
        RealtimeJob.build(env, config);
        JobClient job = env.executeAsync("live");
        Thread.sleep(3_000); // let the job start before the clock of the stream starts
        TelemetryCodec codec = new TelemetryCodec();
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, Long> maxReceived = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka);
                InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            long end = System.currentTimeMillis() + liveSeconds * 1000L;
            long nextTick = System.currentTimeMillis();
            long nextPoll = nextTick;
            while (System.currentTimeMillis() < end + 20_000) {
                long now = System.currentTimeMillis();
                if (now < end && now >= nextTick) {
                    for (int d = 0; d < devices; d++) {
                        StampedTelemetry s = new StampedTelemetry("acme", "thermo", "live-" + d, now,
                                new TelemetryRecord(now, Map.of("temperature", 20.0 + d % 10), Map.of()));
                        producer.send(new ProducerRecord<>("bench.live", s.key().getBytes(StandardCharsets.UTF_8),
                                codec.encodeStamped(s)));
                    }
                    nextTick += 100;
                }
                if (now >= nextPoll) {
                    poll(client, firstSeen, maxReceived);
                    nextPoll = now + 100;
                }
                Thread.sleep(5);
            }
        }
        job.cancel().get(60, TimeUnit.SECONDS);
        List<Long> latencies = new ArrayList<>();
        firstSeen.forEach((k, seen) -> latencies.add(seen - maxReceived.get(k)));
        latencies.sort(Long::compare);
        log("live latency over %d windows: p50 %d ms, p95 %d ms", latencies.size(), pct(latencies, 0.5),
                pct(latencies, 0.95));
        return latencies;
    }

    private static void poll(InfluxDB client, Map<String, Long> firstSeen, Map<String, Long> maxReceived) {
        QueryResult r = client.query(new Query("SELECT \"maxReceivedAt\" FROM \"rp_1m\".\"telemetry_1m\" "
                + "WHERE time > now() - 5m GROUP BY \"deviceId\"", "bench_live"), TimeUnit.MILLISECONDS);
        long now = System.currentTimeMillis();
        if (r.getResults() == null) {
            return;
        }
        for (QueryResult.Result result : r.getResults()) {
            if (result.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : result.getSeries()) {
                for (List<Object> v : s.getValues()) {
                    String key = s.getTags().get("deviceId") + "@" + ((Number) v.get(0)).longValue();
                    if (firstSeen.putIfAbsent(key, now) == null) {
                        maxReceived.put(key, ((Number) v.get(1)).longValue());
                    }
                }
            }
        }
    }

    private static RealtimeJobConfig.Builder config(EmbeddedKafka kafka, InfluxServer influx, int parallelism,
            String run) {
        return RealtimeJobConfig.builder()
                .set(Option.KAFKA_BOOTSTRAP, kafka.bootstrapServers())
                .set(Option.KAFKA_GROUP_ID, "bench-" + run)
                .set(Option.KAFKA_TRANSACTIONAL_ID_PREFIX, "bench-" + run)
                .set(Option.TOPIC_RAW, TOPIC)
                .set(Option.TOPIC_AGG, "bench.agg")
                .set(Option.TOPIC_EVENTS, "bench.events")
                .set(Option.TOPIC_DLQ, "bench.dlq")
                .set(Option.INFLUX_URL, influx.url())
                .set(Option.INFLUX_DATABASE, "bench_" + run.replace('-', '_'))
                .set(Option.PARALLELISM, parallelism)
                // Checkpoints on disk, as in the standalone platform: window state outgrows the JobManager's memory.
                .set(Option.CHECKPOINT_DIR, work.resolve("checkpoints-" + run).toUri().toString())
                .set(Option.IDLENESS_MS, 5_000);
    }

    private static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        SnapshotMetricReporter.configure(conf);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    /**
     * Waits until {@code through} (elements taken in by the last operator measured) reaches {@code records *
     * perRecord}; the rate and the CPU time count from the first record read by {@code source}.
     */
    private static Rate measure(int records, String source, int perRecord, LongSupplier through) throws Exception {
        long start = 0;
        long cpuStart = 0;
        long jitStart = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        MetricSum sourceIn = new MetricSum("numRecordsIn", FlinkMetricsSummary.operator(source));
        while (true) {
            long read = sourceIn.getAsLong();
            if (start == 0 && read > 0) {
                start = System.nanoTime();
                cpuStart = LoadRun.processCpuNanos();
                jitStart = JIT.getTotalCompilationTime();
            }
            long done = through.getAsLong();
            if (done >= (long) records * perRecord) {
                double cpuMicros = (LoadRun.processCpuNanos() - cpuStart) / 1e3 / records;
                return new Rate(records / seconds(start), cpuMicros, JIT.getTotalCompilationTime() - jitStart);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + done + " of " + (long) records * perRecord + " through");
            }
            Thread.sleep(10);
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

    /**
     * The sum of the metrics of one name whose variables match, for polling: the matching metrics are looked up among
     * all (thousands, with Kafka clients' own) at most every 200 ms, as tasks register theirs, and only read in
     * between, so that the harness's polling costs little of the CPU it measures.
     */
    private static final class MetricSum implements LongSupplier {
        private final String metric;
        private final Predicate<Map<String, String>> where;
        private List<SnapshotMetricReporter.Registered> matched = List.of();
        private long resolvedAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

        MetricSum(String metric, Predicate<Map<String, String>> where) {
            this.metric = metric;
            this.where = where;
        }

        @Override
        public long getAsLong() {
            if (System.nanoTime() - resolvedAt > TimeUnit.MILLISECONDS.toNanos(200)) {
                List<SnapshotMetricReporter.Registered> found = new ArrayList<>();
                for (SnapshotMetricReporter.Registered r : SnapshotMetricReporter.metrics().values()) {
                    if (r.name().equals(metric) && where.test(r.variables())) {
                        found.add(r);
                    }
                }
                matched = found;
                resolvedAt = System.nanoTime();
            }
            long total = 0;
            for (SnapshotMetricReporter.Registered r : matched) {
                Number v = r.value();
                if (v != null) {
                    total += v.longValue();
                }
            }
            return total;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.ACKS_CONFIG, "1"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static long pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.println("[flink-realtime-bench] " + LocalTime.now() + " "
                + String.format(Locale.ROOT, format, args));
    }

    /**
     * @param perSecond records/s
     * @param cpuMicros CPU time of this JVM per record over the same interval, µs
     * @param jitMillis the JVM's JIT compilation time over the same interval, ms
     */
    private record Rate(double perSecond, double cpuMicros, double jitMillis) {
    }

    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Reads and decodes, as the real job's source does, and nothing else. */
    private static final class DecodeOnly implements KafkaRecordDeserializationSchema<DecodedRecord> {
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
}
