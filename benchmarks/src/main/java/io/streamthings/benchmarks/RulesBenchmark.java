package io.streamthings.benchmarks;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;
import io.siddhi.query.api.definition.Attribute;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.rules.apps.ShippedApp;
import io.streamthings.rules.apps.ShippedApps;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.service.RulesService;
import io.streamthings.rules.service.RulesServiceConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The rules service benchmark, on a real embedded Kafka broker in this JVM, with every shipped rule app deployed for
 * one tenant of 1,000 devices:
 *
 * <ol>
 *   <li>throughput: records of telemetry.raw through the rules service (decode, route to the tenant's rules, one
 *       Siddhi runtime per rule and partition, alerts to Kafka, snapshots and offset commits) until the last one is
 *       processed;</li>
 *   <li>for the ratio, Siddhi alone: the same records, already as Siddhi events, sent straight into one runtime per
 *       shipped app (no Kafka, no decoding, no routing) in the same JVM;</li>
 * </ol>
 * Both run after a warm-up of the Siddhi engine and of the service on the first 200,000 records, so neither pays for
 * the JIT alone.
 * <ol start="3">
 *   <li>latency from ingest to alert: a live stream at a moderate rate in which a known share of readings fire a
 *       rule; from the record's receivedAt to a consumer of {@code alerts} seeing the alert.</li>
 * </ol>
 *
 * Writes {@code results/rules.md}. Arguments: {@code out=<file>} {@code records=<n>} {@code devices=<n>}.
 */
public final class RulesBenchmark {

    private static final String TENANT = "bench";
    private static final TelemetryCodec CODEC = new TelemetryCodec();

    private RulesBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchmarkArgs.parse(args);
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/rules.md"));
        int records = Integer.parseInt(opts.getOrDefault("records", "1000000"));
        int devices = Integer.parseInt(opts.getOrDefault("devices", "1000"));
        double loadAtStart = loadAverage();
        Path dir = Files.createTempDirectory("rules-bench");
        List<ShippedApp> apps = ShippedApps.all();

        if (opts.containsKey("perApp")) {
            // Siddhi alone, app by app: where the engine's time goes.
            List<StampedTelemetry> stream = telemetry(records, devices, System.currentTimeMillis());
            for (ShippedApp app : apps) {
                double[] r = siddhiAlone(List.of(app), stream);
                System.out.printf(Locale.ROOT, "%-26s %,10.0f records/s %,8d alerts%n", app.name(), r[0], (long) r[1]);
            }
            return;
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopics(Topics.ALL);
            List<StampedTelemetry> stream = telemetry(records, devices,
                    System.currentTimeMillis() - (long) records / devices * 10_000L);
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                for (ShippedApp app : apps) {
                    RuleDefinition d = new RuleDefinition(TENANT, app.name(), 1, app.appText(), 0);
                    producer.send(new ProducerRecord<>(Topics.RULES.name(), d.key(), CatalogCodec.encode(d)));
                }
                long t = System.nanoTime();
                for (StampedTelemetry s : stream) {
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), s.key(), CODEC.encodeStamped(s)));
                }
                producer.flush();
                System.out.printf(Locale.ROOT, "pre-filled %,d records in %.1f s%n", records,
                        (System.nanoTime() - t) / 1e9);
            }

            // Warm-up rounds, not reported: the JIT compiles the Siddhi engine, Kafka's client and broker code and the
            // service's own path for tens of seconds. Measured from a cold start, one instance ran at half its rate
            // with the compiler threads using 10 µs of CPU per record; in the second round they used under 1.
            // Rounds alternate one and two instances, and the median round of each is reported: on shared cores a
            // single round moves with whatever else runs.
            int warmUps = Integer.parseInt(opts.getOrDefault("warmup", "1"));
            int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
            List<double[]> ones = new ArrayList<>();
            List<double[]> twos = new ArrayList<>();
            List<double[]> alones = new ArrayList<>();
            for (int round = -warmUps; round < rounds; round++) {
                String tag = round < 0 ? "warm-up-" + (round + warmUps) : String.valueOf(round);
                // 1. The rules service from the start of the topic, with one instance and with two.
                double[] one = throughput(kafka.bootstrapServers(), "bench-1-" + tag, 1, records, opts);
                double[] two = throughput(kafka.bootstrapServers(), "bench-2-" + tag, 2, records, opts);
                // 2. Siddhi alone on the same events.
                double[] alone = siddhiAlone(apps, stream);
                System.out.printf(Locale.ROOT, "Siddhi alone: %,.0f records/s, %,d alerts%n", alone[0],
                        (long) alone[1]);
                if (round >= 0) {
                    ones.add(one);
                    twos.add(two);
                    alones.add(alone);
                }
            }
            double[] one = median(ones);
            double[] two = median(twos);
            double[] siddhi = median(alones);

            // 3. Latency from ingest to alert on a live stream.
            long[] latencies = latency(kafka.bootstrapServers(), devices);
            Arrays.sort(latencies);
            String report = report(records, devices, apps, one, two, siddhi, latencies, loadAtStart)
                    + rounds(ones, twos, alones, warmUps);
            System.out.println(report);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
        System.exit(0);
    }

    /**
     * The rules service from the start of the pre-filled topic, as {@code instances} members of one consumer group
     * in this JVM (each its own poll thread and Siddhi runtimes): records/s until every record was processed, alerts,
     * and the start-up time in seconds.
     */
    private static double[] throughput(String bootstrap, String group, int instances, int records,
            Map<String, String> opts) throws Exception {
        // A new group reads from the earliest offsets: without this it would also run the records that earlier runs
        // forwarded to rules.by-tenant.
        skipForwardedBacklog(bootstrap);
        List<RulesService> services = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < instances; i++) {
            RulesServiceConfig defaults = RulesServiceConfig.defaults();
            RulesServiceConfig config = RulesServiceConfig.builder()
                    .bootstrapServers(bootstrap)
                    .groupId(group)
                    .instanceId(group + "-" + i)
                    .startFrom("earliest")
                    .snapshotInterval(Duration.ofSeconds(Long.parseLong(opts.getOrDefault("snapshotSeconds", "5"))))
                    .alertLingerMs(Integer.parseInt(opts.getOrDefault("alertLingerMs",
                            String.valueOf(defaults.alertLingerMs()))))
                    .forwardLingerMs(Integer.parseInt(opts.getOrDefault("forwardLingerMs",
                            String.valueOf(defaults.forwardLingerMs()))))
                    .build();
            RulesService service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
            service.start();
            services.add(service);
        }
        for (RulesService s : services) {
            if (!s.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("rules service did not start");
            }
        }
        long running = System.nanoTime();
        long cpu = processCpuNanos();
        while (services.stream().mapToLong(RulesService::recordsIn).sum() < records) {
            Thread.sleep(20);
        }
        long done = System.nanoTime();
        double cpuPerRecord = (processCpuNanos() - cpu) / 1e3 / records;
        long alerts = services.stream().mapToLong(RulesService::alertsOut).sum();
        services.forEach(RulesService::close);
        double rate = records / ((done - running) / 1e9);
        System.out.printf(Locale.ROOT, "rules service x%d: %,.0f records/s, %,d alerts (start-up %.1f s)%n",
                instances, rate, alerts, (running - start) / 1e9);
        return new double[] {rate, alerts, (running - start) / 1e9, cpuPerRecord};
    }

    private static void skipForwardedBacklog(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int i = 0; i < Topics.RULES_BY_TENANT.partitions(); i++) {
                latest.put(new TopicPartition(Topics.RULES_BY_TENANT.name(), i), OffsetSpec.latest());
            }
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) ->
                    delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }

    /** CPU time of this whole JVM (rules service, Kafka broker, harness), ns. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The round with the median records/s. */
    private static double[] median(List<double[]> rounds) {
        List<double[]> sorted = new ArrayList<>(rounds);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        return sorted.get(sorted.size() / 2);
    }

    private static String rounds(List<double[]> ones, List<double[]> twos, List<double[]> alones, int warmUps) {
        StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "%nMeasured rounds, after %d unreported "
                + "warm-up round(s) of the same (records/s, JVM CPU µs per record; JVM CPU counts the broker, the "
                + "harness and the JIT too):%n%n| round | 1 instance | 2 instances | Siddhi alone |%n"
                + "|---|---:|---:|---:|%n", warmUps));
        for (int i = 0; i < ones.size(); i++) {
            r.append(String.format(Locale.ROOT, "| %d | %,.0f (%.1f) | %,.0f (%.1f) | %,.0f (%.1f) |%n", i + 1,
                    ones.get(i)[0], ones.get(i)[3], twos.get(i)[0], twos.get(i)[3], alones.get(i)[0],
                    alones.get(i)[2]));
        }
        return r.toString();
    }

    /**
     * Realistic telemetry of a fleet: each device's temperature wanders around its own level with noise and a daily
     * cycle, and now and then a device overheats for a while, so that every shipped app has something to find.
     */
    static List<StampedTelemetry> telemetry(int records, int devices, long t0) {
        Random random = new Random(42);
        double[] level = new double[devices];
        int[] overheat = new int[devices];
        for (int d = 0; d < devices; d++) {
            level[d] = 55 + random.nextDouble() * 15;
        }
        List<StampedTelemetry> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            int d = i % devices;
            // One reading per device every 10 s, a common reporting interval for temperature sensors.
            long ts = t0 + (long) (i / devices) * 10_000L;
            if (overheat[d] == 0 && random.nextDouble() < 0.001) {
                overheat[d] = 3 + random.nextInt(10);
            }
            double cycle = 5 * Math.sin(2 * Math.PI * (ts % 86_400_000L) / 86_400_000.0);
            double temperature = level[d] + cycle + random.nextGaussian() * 0.3 + (overheat[d] > 0 ? 30 : 0);
            if (overheat[d] > 0) {
                overheat[d]--;
            }
            String device = "dev-" + d;
            out.add(new StampedTelemetry(TENANT, "thermo", device, ts, new TelemetryRecord(ts,
                    Map.of("temperature", temperature, "humidity", 40 + random.nextDouble() * 10),
                    Map.of("site", "site-" + (d % 50)))));
        }
        return out;
    }

    /** The same records straight into one Siddhi runtime per shipped app: the engine's own cost. */
    private static double[] siddhiAlone(List<ShippedApp> apps, List<StampedTelemetry> stream) throws Exception {
        SiddhiManager manager = new SiddhiManager();
        List<SiddhiAppRuntime> runtimes = new ArrayList<>();
        List<InputHandler> handlers = new ArrayList<>();
        List<Object[][]> events = new ArrayList<>();
        AtomicLong alerts = new AtomicLong();
        for (ShippedApp app : apps) {
            SiddhiAppRuntime runtime = manager.createSiddhiAppRuntime(app.appText());
            runtime.addCallback("AlertStream", new StreamCallback() {
                @Override
                public void receive(io.siddhi.core.event.Event[] e) {
                    alerts.addAndGet(e.length);
                }
            });
            runtime.start();
            runtimes.add(runtime);
            handlers.add(runtime.getInputHandler("TelemetryStream"));
            List<Attribute> attrs = runtime.getStreamDefinitionMap().get("TelemetryStream").getAttributeList();
            Object[][] data = new Object[stream.size()][];
            for (int i = 0; i < stream.size(); i++) {
                data[i] = toEvent(attrs, stream.get(i));
            }
            events.add(data);
        }
        long t = System.nanoTime();
        long cpu = processCpuNanos();
        for (int i = 0; i < stream.size(); i++) {
            for (int a = 0; a < handlers.size(); a++) {
                Object[] data = events.get(a)[i];
                if (data != null) {
                    handlers.get(a).send(data);
                }
            }
        }
        double rate = stream.size() / ((System.nanoTime() - t) / 1e9);
        double cpuPerRecord = (processCpuNanos() - cpu) / 1e3 / stream.size();
        runtimes.forEach(SiddhiAppRuntime::shutdown);
        manager.shutdown();
        return new double[] {rate, alerts.get(), cpuPerRecord};
    }

    private static Object[] toEvent(List<Attribute> attrs, StampedTelemetry s) {
        Object[] data = new Object[attrs.size()];
        for (int i = 0; i < data.length; i++) {
            String name = attrs.get(i).getName();
            switch (name) {
                case "deviceId" -> data[i] = s.deviceId();
                case "deviceType" -> data[i] = s.deviceType();
                case "ts" -> data[i] = s.record().ts();
                default -> {
                    if (attrs.get(i).getType() == Attribute.Type.STRING) {
                        data[i] = s.record().tags().get(name);
                    } else {
                        data[i] = s.record().metrics().get(name);
                    }
                    if (data[i] == null) {
                        return null; // the platform does not send a record lacking a declared attribute
                    }
                }
            }
        }
        return data;
    }

    /**
     * A live stream of 1,000 devices at 2,000 records/s for 20 s with the hot-reading app: every reading of one in
     * fifty devices is over the limit, so each fires an alert; latency from receivedAt to the alert being read.
     */
    private static long[] latency(String bootstrap, int devices) throws Exception {
        String hot = """
                @App:name('bench-latency')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream[temperature > 150.0]
                select deviceId, ts, temperature
                insert into AlertStream;
                """;
        RulesServiceConfig config = RulesServiceConfig.builder()
                .bootstrapServers(bootstrap)
                .groupId("bench-latency")
                .build();
        RulesService service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
        List<Long> samples = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
                KafkaConsumer<String, byte[]> alerts = alertConsumer(bootstrap)) {
            RuleDefinition d = new RuleDefinition("latency", "bench-latency", 1, hot, 0);
            producer.send(new ProducerRecord<>(Topics.RULES.name(), d.key(), CatalogCodec.encode(d))).get();
            service.start();
            if (!service.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("rules service did not start");
            }
            Thread.sleep(2_000); // the rule deployed on every partition
            Map<Long, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
            Thread reader = new Thread(() -> {
                long end = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < end) {
                    for (ConsumerRecord<String, byte[]> r : alerts.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        AlertEvent a = AlertCodec.decode(r.value());
                        Long sent = sentAt.remove(a.ts());
                        if (sent != null) {
                            synchronized (samples) {
                                samples.add(now - sent);
                            }
                        }
                    }
                }
            });
            reader.start();
            long seq = 0;
            long startNanos = System.nanoTime();
            int rate = 2_000;
            for (int sec = 0; sec < 20; sec++) {
                for (int i = 0; i < rate; i++) {
                    long due = startNanos + (long) ((sec * rate + i) * (1e9 / rate));
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    int device = (int) (seq % devices);
                    boolean fires = device % 50 == 0;
                    long ts = 1_000_000_000L + seq++;
                    if (fires) {
                        sentAt.put(ts, System.nanoTime());
                    }
                    StampedTelemetry s = new StampedTelemetry("latency", "thermo", "dev-" + device,
                            System.currentTimeMillis(), TelemetryRecord.of(ts,
                                    Map.of("temperature", fires ? 200.0 : 20.0)));
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), s.key(), CODEC.encodeStamped(s)));
                }
            }
            reader.join();
        } finally {
            service.close();
        }
        return samples.stream().mapToLong(Long::longValue).toArray();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> alertConsumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < Topics.ALERTS.partitions(); i++) {
            tps.add(new TopicPartition(Topics.ALERTS.name(), i));
        }
        c.assign(tps);
        c.seekToEnd(tps);
        tps.forEach(c::position);
        return c;
    }

    private static String report(int records, int devices, List<ShippedApp> apps, double[] one, double[] two,
            double[] siddhi, long[] latencies, double loadAtStart) {
        StringBuilder r = new StringBuilder("# Rules service benchmark\n\n");
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version"))
                .append("; embedded Kafka (KRaft), the rules service and the load generator in one JVM.\n\n");
        r.append(String.format(Locale.ROOT, "Machine load average (1 min) at start: %.1f, at end: %.1f.%n%n",
                loadAtStart, loadAverage()));
        r.append(String.format(Locale.ROOT, "Input: %,d stamped records of %,d devices (temperature, humidity, a "
                + "site tag; one reading per device every 10 s of event time, noise, a daily cycle, injected "
                + "overheating), one tenant with every shipped app deployed: %s.%n%n", records, devices,
                String.join(", ", apps.stream().map(ShippedApp::name).toList())));
        r.append("| measurement (median round) | records/s | JVM CPU µs/record | alerts |\n|---|---:|---:|---:|\n");
        r.append(String.format(Locale.ROOT, "| rules service, 1 instance: telemetry.raw (6 partitions) -> %d apps "
                + "-> alerts, snapshots every 5 s | %,.0f | %.1f | %,d |%n", apps.size(), one[0], one[3],
                (long) one[1]));
        r.append(String.format(Locale.ROOT, "| rules service, 2 instances of one consumer group (one JVM) | %,.0f "
                + "| %.1f | %,d |%n", two[0], two[3], (long) two[1]));
        r.append(String.format(Locale.ROOT, "| Siddhi alone (one thread): the same events into one runtime per "
                + "app | %,.0f | %.1f | %,d |%n%n", siddhi[0], siddhi[2], (long) siddhi[1]));
        r.append(String.format(Locale.ROOT, "Ratio rules service / Siddhi alone: %.2f with 1 instance (the "
                + "overhead we add on one thread), %.2f with 2. Start-up (catalog, group join, runtimes per "
                + "partition): %.1f s.%n%n", one[0] / siddhi[0], two[0] / siddhi[0], one[2]));
        r.append(String.format(Locale.ROOT, "Latency from ingest (the record's receivedAt, as ingest writes it to "
                + "telemetry.raw) to the alert read from `alerts`, live stream of 2,000 records/s, %,d alerts: "
                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms.%n", latencies.length, pct(latencies, 0.5),
                pct(latencies, 0.99), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6));
        return r.toString();
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
