package io.streamthings.benchmarks;

import com.codahale.metrics.MetricRegistry;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.MqttAccess;
import io.streamthings.embedded.MqttBroker;
import io.streamthings.embedded.Ports;
import io.streamthings.ingest.IngestApplication;
import io.streamthings.ingest.IngestService;
import io.streamthings.ingest.auth.DeviceAccessPolicy;
import io.streamthings.ingest.config.IngestConfig;
import io.streamthings.ingest.config.KafkaSettings;
import io.streamthings.ingest.sink.KafkaTelemetrySink;
import io.streamthings.embedded.testkit.Credentials;
import io.streamthings.embedded.testkit.MosquittoProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ingest benchmark, end to end on real servers in one JVM (embedded Kafka, embedded Moquette, the ingest service
 * with its HTTP port) plus Debian's mosquitto as a child process, all on the same 2 cores:
 *
 * <ol>
 *   <li>MQTT QoS 1 from 1,000 device connections through Moquette and ingest into Kafka: records per second until
 *       the last one is in {@code telemetry.raw};</li>
 *   <li>publish-to-Kafka latency (p50/p99) at a fixed, moderate rate;</li>
 *   <li>HTTP batches (1,000 records each) into Kafka, records per second;</li>
 *   <li>for the ratio, a raw Kafka producer writing the same stamped records with the same producer settings;</li>
 *   <li>for the ratio, mosquitto alone carrying the same MQTT messages from 1,000 connections to one plain
 *       subscriber.</li>
 * </ol>
 *
 * Writes {@code results/ingest.md}. Arguments: {@code out=<file>} {@code seconds=<per phase>} {@code devices=<n>}.
 */
public final class IngestBenchmark {

    private static final TelemetryCodec CODEC = new TelemetryCodec();

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchmarkArgs.parse(args);
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/ingest.md"));
        Options o = new Options(Integer.parseInt(opts.getOrDefault("seconds", "20")),
                Integer.parseInt(opts.getOrDefault("devices", "1000")),
                Integer.parseInt(opts.getOrDefault("subscribers", "4")),
                Integer.parseInt(opts.getOrDefault("outstanding", "10000")),
                Integer.parseInt(opts.getOrDefault("moquetteWindow",
                        String.valueOf(DeviceAccessPolicy.SERVICE_INFLIGHT_WINDOW))),
                opts.getOrDefault("phases", "adapter,adapter-latency,connections,mosquitto"),
                Integer.parseInt(opts.getOrDefault("connections", "10000")),
                Integer.parseInt(opts.getOrDefault("warmup",
                        String.valueOf(Math.max(2, Integer.parseInt(opts.getOrDefault("seconds", "20")) / 5)))));
        Path dir = Files.createTempDirectory("ingest-bench");
        List<String> lines = new ArrayList<>();
        int status = 0;
        try {
            run(dir, o, lines);
        } catch (Throwable e) {
            // Exit all the same: the servers' threads would keep exec:java waiting for ever.
            e.printStackTrace();
            status = 1;
        } finally {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            System.out.println(String.join("\n", lines));
            System.out.println("written to " + out);
        }
        System.exit(status);
    }

    /**
     * @param seconds measured seconds per phase (after a warm-up of a fifth of it)
     * @param subscribers ingest's subscriber connections on a broker with shared subscriptions
     * @param outstanding the most messages published but not yet at the far end (see {@link MqttLoadClient#run})
     * @param moquetteWindow Moquette's in-flight window for ingest's subscriber (10 is Moquette's own)
     * @param phases which measurements to make, comma-separated
     * @param connections how many connections the {@code connections} phase holds and opens at once
     * @param warmup seconds of load before a throughput phase is measured (the JIT compiles the hot path meanwhile)
     */
    private record Options(int seconds, int devices, int subscribers, int outstanding, int moquetteWindow,
            String phases, int connections, int warmup) {
        boolean has(String phase) {
            return List.of(phases.split(",")).contains(phase);
        }
    }

    private static final String SERVICE_USER = "_streamthings-ingest";

    private static void run(Path dir, Options o, List<String> md) throws Exception {
        int seconds = o.seconds();
        int devices = o.devices();
        md.add("# Ingest benchmark");
        md.add("");
        md.add("Run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", load average before the run " + loadAverage()
                + ". One JVM holds the embedded Kafka (KRaft), the ingest service under test (its MQTT server; or "
                + "Moquette 0.17 and the Paho subscribers for the `moquette` phase) and the load generators; "
                + "mosquitto 2.0 runs as a child process. Phases: " + o.phases() + ". "
                + devices + " device connections (QoS 1, at most 10 unacknowledged each, from one thread); at most "
                + String.format("%,d", o.outstanding()) + " messages published and not yet at the far end; " + seconds
                + " s measured per phase after " + o.warmup() + " s of warm-up.");
        md.add("");

        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        kafka.createTopics(Topics.ALL);
        String bootstrap = kafka.bootstrapServers();
        List<String> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        try (Credentials credentials = new Credentials(bootstrap)) {
            for (int i = 0; i < devices; i++) {
                ids.add("bench-" + i);
                tokens.add(credentials.enroll("bench", "bench-" + i, "sensor"));
            }
        }
        int mqttPort = Ports.free();
        int httpPort = Ports.free();
        Path config = dir.resolve("ingest.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  requestLog:
                    appenders: []
                ingest:
                  kafka:
                    bootstrapServers: "%s"
                  mqtt:
                    enabled: %b
                    mode: subscriber
                    uri: "tcp://127.0.0.1:%d"
                    servicePassword: "bench-%d"
                  rateLimit:
                    enabled: false
                logging:
                  level: WARN
                """.formatted(httpPort, Ports.free(), bootstrap, o.has("moquette"), mqttPort, System.nanoTime()));
        IngestApplication app = new IngestApplication();
        PolicyMqttAccess policyAccess = new PolicyMqttAccess(() -> app.service() == null ? null
                : app.service().policy());
        MqttAccess access = new MqttAccess() {
            @Override
            public boolean authenticate(String clientId, String username, byte[] password) {
                return policyAccess.authenticate(clientId, username, password);
            }

            @Override
            public boolean canPublish(String username, String topic) {
                return policyAccess.canPublish(username, topic);
            }

            @Override
            public boolean canSubscribe(String username, String topicFilter) {
                return policyAccess.canSubscribe(username, topicFilter);
            }

            @Override
            public int inflightWindow(String username) {
                return SERVICE_USER.equals(username) ? o.moquetteWindow() : policyAccess.inflightWindow(username);
            }
        };
        MqttBroker broker = o.has("moquette")
                ? MqttBroker.start("127.0.0.1", mqttPort, dir.resolve("moquette"), access, List.of())
                : null;
        app.run("server", config.toString());
        IngestService ingest = app.service();
        awaitTrue(() -> ingest.policy().devicesAdmitted() && ingest.directory().size() == devices, 60);

        Map<String, Throughput> rows = new java.util.LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Throughput viaMoquette = null;
        Throughput mosquittoAlone = null;
        Throughput viaMosquitto = null;
        Throughput http = null;
        Throughput raw = null;
        // 1. MQTT through Moquette and ingest into Kafka.
        if (o.has("moquette")) {
            viaMoquette = mqttThroughput("Moquette -> ingest", "127.0.0.1", mqttPort, ids, tokens::get, o,
                    () -> ingest.metrics().acceptedCount(), () -> 0);
            rows.put("MQTT QoS 1, " + devices + " devices -> Moquette 0.17 (in-flight window " + o.moquetteWindow()
                    + ") -> ingest (1 subscriber) -> Kafka (acks=all)", viaMoquette);
        }
        double moquetteRate = viaMoquette == null ? 0 : viaMoquette.perSecond();
        if (o.has("latency") && viaMoquette != null) {
            int rate = latencyRate(moquetteRate);
            double[] latency = mqttLatency(bootstrap, "127.0.0.1", mqttPort, ids, tokens, Math.min(seconds, 15),
                    rate);
            notes.add(latencyNote("Moquette -> ingest", rate, latency));
        }
        // 2. HTTP batches.
        if (o.has("http")) {
            http = httpThroughput(httpPort, ids, tokens, seconds);
            rows.put("HTTP batches of 1,000 -> ingest -> Kafka", http);
        }
        if (broker != null) {
            broker.close();
        }
        ingest.stop();
        // 2b. ingest's own MQTT server: devices connect to ingest, PUBACK once Kafka has the record.
        Throughput viaAdapter = null;
        if (o.has("adapter") || o.has("adapter-latency") || o.has("connections")) {
            IngestConfig cfg = new IngestConfig();
            cfg.getKafka().setBootstrapServers(bootstrap);
            // Knobs for experiments; the defaults are ingest's own.
            if (System.getProperty("bench.lingerMs") != null) {
                cfg.getKafka().setLingerMs(Integer.getInteger("bench.lingerMs"));
            }
            if (System.getProperty("bench.compression") != null) {
                cfg.getKafka().setCompressionType(System.getProperty("bench.compression"));
            }
            cfg.getRateLimit().setEnabled(false);
            cfg.getMqtt().setBindHost("127.0.0.1").setPort(0);
            MetricRegistry registry = new MetricRegistry();
            IngestService server = new IngestService(cfg, registry, null);
            server.start();
            try {
                awaitTrue(() -> server.directory().size() == devices, 60);
                int port = server.mqttServer().port();
                if (o.has("adapter")) {
                    viaAdapter = mqttThroughput("ingest MQTT server", "127.0.0.1", port, ids, tokens::get, o,
                            () -> server.metrics().acceptedCount(), () -> 0, "@bench");
                    rows.put("MQTT QoS 1, " + devices + " devices -> ingest's MQTT server -> Kafka (acks=all), "
                            + "PUBACK after Kafka", viaAdapter);
                }
                if (o.has("adapter-latency")) {
                    double peak = viaAdapter == null ? 10_000 : viaAdapter.perSecond();
                    int rate = latencyRate(peak);
                    double[] ack = pubAckLatency("127.0.0.1", port, ids, tokens, Math.min(seconds, 15), rate);
                    notes.add(String.format("Publish -> PUBACK through ingest's MQTT server (the PUBACK is written "
                            + "once Kafka, acks=all, has the record), at %,d msg/s, half the measured peak (%,d "
                            + "samples): p50 %.1f ms, p99 %.1f ms, max %.1f ms. Server-side, from the PUBLISH read to "
                            + "the PUBACK written (`ingest.mqtt.puback-latency`, a decaying reservoir that still holds "
                            + "the saturated throughput phase before it): p50 %.1f ms, p99 %.1f ms.", rate,
                            (long) ack[3], ack[0], ack[1], ack[2],
                            server.mqttServer().metrics().pubAckLatency().getSnapshot().getMedian() / 1e6,
                            server.mqttServer().metrics().pubAckLatency().getSnapshot().get99thPercentile() / 1e6));
                    double[] latency = mqttLatency(bootstrap, "127.0.0.1", port, ids, tokens, Math.min(seconds, 15),
                            rate, "@bench");
                    notes.add(latencyNote("ingest MQTT server", rate, latency));
                }
                if (o.has("connections")) {
                    notes.add(connectionStorm(dir, server, port, ids, tokens, o.connections()));
                }
            } finally {
                server.stop();
            }
        }
        // 3. A raw producer writing the same stamped records with ingest's producer settings.
        if (o.has("raw")) {
            raw = rawProducer(bootstrap, ids, seconds);
            rows.put("raw Kafka producer, same stamped records, same settings", raw);
        }
        // 4. mosquitto, configured as a deployment would be: device passwords, each device writes only under
        // devices/<its id>/, the ingest account reads devices/#; first alone, then with ingest behind it.
        if (o.has("mosquitto") || o.has("mosquitto-ingest")) {
            Map<String, String> users = new java.util.LinkedHashMap<>();
            for (int i = 0; i < devices; i++) {
                users.put(ids.get(i), tokens.get(i));
            }
            String servicePassword = "bench-" + System.nanoTime();
            users.put(SERVICE_USER, servicePassword);
            Path mdir = dir.resolve("mosquitto");
            Path passwords = MosquittoProcess.passwordFile(mdir.resolve("passwords"), users);
            Path acl = Files.writeString(mdir.resolve("acl"), String.join("\n",
                    "user " + SERVICE_USER, "topic read devices/#", "topic read $share/#", "",
                    "pattern readwrite devices/%u/#", ""));
            List<String> settings = List.of("allow_anonymous false", "password_file " + passwords,
                    "acl_file " + acl, "max_inflight_messages 0", "max_queued_messages 1000000");
            if (o.has("mosquitto")) {
                try (MosquittoProcess process = MosquittoProcess.start(mdir.resolve("alone"), settings);
                        MqttSinkClient sink = new MqttSinkClient("127.0.0.1", process.port(), "devices/+/telemetry",
                                1, SERVICE_USER, servicePassword)) {
                    mosquittoAlone = mqttThroughput("mosquitto alone", "127.0.0.1", process.port(), ids,
                            tokens::get, o, sink.received::get, process::cpuNanos);
                }
                rows.put("mosquitto alone, same MQTT messages, " + devices + " devices -> 1 plain subscriber",
                        mosquittoAlone);
            }
            if (o.has("mosquitto-ingest")) {
                try (MosquittoProcess process = MosquittoProcess.start(mdir.resolve("ingest"), settings)) {
                    IngestConfig cfg = new IngestConfig();
                    cfg.getKafka().setBootstrapServers(bootstrap);
                    cfg.getRateLimit().setEnabled(false);
                    cfg.getMqtt().setUri(process.uri()).setServiceUser(SERVICE_USER)
                            .setServicePassword(servicePassword).setSharedGroup("ingest")
                            .setSubscribers(o.subscribers());
                    IngestService viaM = new IngestService(cfg, new MetricRegistry(), null);
                    viaM.start();
                    try {
                        awaitTrue(() -> viaM.mqttConnected() && viaM.directory().size() == devices, 60);
                        viaMosquitto = mqttThroughput("mosquitto -> ingest", "127.0.0.1", process.port(), ids,
                                tokens::get, o, () -> viaM.metrics().acceptedCount(), process::cpuNanos);
                        rows.put("MQTT QoS 1, " + devices + " devices -> mosquitto -> ingest (" + o.subscribers()
                                + " subscribers, `$share/ingest/devices/+/telemetry`) -> Kafka (acks=all)",
                                viaMosquitto);
                        if (o.has("latency")) {
                            int rate = latencyRate(viaMosquitto.perSecond());
                            double[] latency = mqttLatency(bootstrap, "127.0.0.1", process.port(), ids, tokens,
                                    Math.min(seconds, 15), rate);
                            notes.add(latencyNote("mosquitto -> ingest (" + o.subscribers() + " subscribers)",
                                    rate, latency));
                        }
                    } finally {
                        viaM.stop();
                    }
                }
            }
        }
        kafka.close();

        md.add("| measurement | messages | seconds | msg/s | lost | CPU µs/msg, JVM / broker process | load "
                + "generator µs/msg | server's own µs/msg | vs raw Kafka producer | vs mosquitto alone |");
        md.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var r : rows.entrySet()) {
            md.add(row(r.getKey(), r.getValue(), raw, mosquittoAlone));
        }
        md.add("");
        md.add("`lost` = acknowledged by the broker to the device but never at the far end (Kafka, or the plain "
                + "subscriber) after the run: it must be 0. The load generator keeps publishing while fewer than "
                + String.format("%,d", o.outstanding()) + " messages are between device and far end, so a figure is "
                + "what gets through, not how fast a broker queue fills.");
        md.add("");
        for (String n : notes) {
            md.add(n);
            md.add("");
        }
        md.add("`server's own µs/msg`: for mosquitto, the mosquitto process's CPU; for an in-JVM server, the JVM's "
                + "CPU less the load generator's thread (so the embedded Kafka broker and ingest's producer are in "
                + "it). In parentheses, the part of it that the JVM's JIT compiler threads took in the measured "
                + "window: compiling, not serving, and gone once a server has run for a while (set `warmup=`).");
        md.add("");
        md.add("Load average after the run: " + loadAverage() + ".");
    }

    private static String latencyNote(String path, int rate, double[] latency) {
        return String.format("Publish -> Kafka latency, %s, at %,d msg/s (%,d samples): p50 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms. Measured from the record's `ts`, set by the device when it publishes, to a consumer "
                + "of `telemetry.raw` seeing it (so it includes the consumer's fetch).", path, rate,
                (long) latency[3], latency[0], latency[1], latency[2]);
    }

    /**
     * The rate for the latency run: half what the path carried (as before), at most the 50,000 msg/s target. Closer to
     * saturation, on cores shared with other work, the figure measures queueing behind whatever else ran.
     */
    private static int latencyRate(double perSecond) {
        return (int) Math.max(100, Math.min(50_000, perSecond / 2));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * @param jvmCpu and {@code brokerCpu}: CPU seconds of this JVM and of the broker process (0 when embedded)
     * @param loadCpu CPU seconds of the load generator's thread (part of {@code jvmCpu})
     */
    /** @param jitCpu CPU seconds of the JVM's JIT compiler threads in the window (part of jvmCpu) */
    private record Throughput(long records, double seconds, long lost, double jvmCpu, double brokerCpu,
            double loadCpu, double jitCpu) {
        Throughput(long records, double seconds, long lost) {
            this(records, seconds, lost, 0, 0, 0, 0);
        }

        double perSecond() {
            return records / Math.max(seconds, 1e-9);
        }
    }

    private static String row(String name, Throughput t, Throughput raw, Throughput mosquitto) {
        String cpu = t.jvmCpu() == 0 ? "-" : String.format("%.0f / %s", t.jvmCpu() * 1e6 / t.records(),
                t.brokerCpu() == 0 ? "-" : String.format("%.0f", t.brokerCpu() * 1e6 / t.records()));
        String load = t.loadCpu() == 0 ? "-" : String.format("%.0f", t.loadCpu() * 1e6 / t.records());
        String own = t.jvmCpu() == 0 ? "-" : t.brokerCpu() > 0
                ? String.format("%.0f", t.brokerCpu() * 1e6 / t.records())
                : String.format("%.0f", (t.jvmCpu() - t.loadCpu()) * 1e6 / t.records())
                        + (t.jitCpu() > 0 ? String.format(" (JIT %.0f)", t.jitCpu() * 1e6 / t.records()) : "");
        return String.format("| %s | %,d | %.1f | %,.0f | %,d | %s | %s | %s | %s | %s |", name, t.records(),
                t.seconds(), t.perSecond(), t.lost(), cpu, load, own, ratio(t, raw), ratio(t, mosquitto));
    }

    /**
     * CPU time of this JVM's JIT compiler threads (C1, C2), from /proc; 0 where there is no /proc. A server that has
     * run for a while has compiled its hot path: what the compiler takes in a measured window is start-up cost.
     */
    private static long compilerCpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long ticks = 0;
        try (java.util.stream.Stream<Path> list = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).startsWith("C")
                            || !Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.io.IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    private static String ratio(Throughput t, Throughput base) {
        return base == null ? "-" : String.format("%.2f", t.perSecond() / base.perSecond());
    }

    /**
     * Messages per second from the devices to the far end ({@code delivered}: records in Kafka, or a plain
     * subscriber's count) in steady state: a warm-up, then {@code seconds} measured; then the load stops and what the
     * broker acknowledged is awaited at the far end, to count losses.
     */
    private static Throughput mqttThroughput(String name, String host, int port, List<String> ids,
            java.util.function.IntFunction<String> tokenOf, Options o, LongSupplier delivered, LongSupplier brokerCpu)
            throws Exception {
        return mqttThroughput(name, host, port, ids, tokenOf, o, delivered, brokerCpu, "");
    }

    private static Throughput mqttThroughput(String name, String host, int port, List<String> ids,
            java.util.function.IntFunction<String> tokenOf, Options o, LongSupplier delivered, LongSupplier brokerCpu,
            String userSuffix) throws Exception {
        long before = delivered.getAsLong();
        LongSupplier sinceStart = () -> delivered.getAsLong() - before;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (MqttLoadClient load = new MqttLoadClient(host, port, ids, i -> tokenOf.apply((int) i), 10,
                userSuffix)) {
            load.run(TimeUnit.SECONDS.toNanos(o.warmup()), 0, IngestBenchmark::payload,
                    sinceStart, o.outstanding());
            long d0 = delivered.getAsLong();
            long jvm0 = LoadRun.processCpuNanos();
            long broker0 = brokerCpu.getAsLong();
            long loadCpu0 = threads.getCurrentThreadCpuTime();
            long jit0 = compilerCpuNanos();
            long start = System.nanoTime();
            load.run(TimeUnit.SECONDS.toNanos(o.seconds()), 0, IngestBenchmark::payload, sinceStart,
                    o.outstanding());
            long d1 = delivered.getAsLong();
            double elapsed = (System.nanoTime() - start) / 1e9;
            double jvmCpu = (LoadRun.processCpuNanos() - jvm0) / 1e9;
            double loadCpu = (threads.getCurrentThreadCpuTime() - loadCpu0) / 1e9;
            double cpuOfBroker = (brokerCpu.getAsLong() - broker0) / 1e9;
            double jitCpu = (compilerCpuNanos() - jit0) / 1e9;
            load.drain(TimeUnit.SECONDS.toNanos(30));
            long target = before + load.acknowledged.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered.getAsLong() < target && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long lost = Math.max(0, target - delivered.getAsLong());
            System.out.printf("%s: published %d, acked %d, delivered %d, %.0f msg/s, lost %d%n", name,
                    load.published.get(), load.acknowledged.get(), delivered.getAsLong() - before,
                    (d1 - d0) / elapsed, lost);
            return new Throughput(d1 - d0, elapsed, lost, jvmCpu, cpuOfBroker, loadCpu, jitCpu);
        }
    }

    private static double[] mqttLatency(String bootstrap, String host, int port, List<String> ids,
            List<String> tokens, int seconds, int rate) throws Exception {
        return mqttLatency(bootstrap, host, port, ids, tokens, seconds, rate, "");
    }

    private static double[] mqttLatency(String bootstrap, String host, int port, List<String> ids,
            List<String> tokens, int seconds, int rate, String userSuffix) throws Exception {
        List<Long> samples = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
                List<TopicPartition> parts = new ArrayList<>();
                for (int p = 0; p < Topics.TELEMETRY_RAW.partitions(); p++) {
                    parts.add(new TopicPartition(Topics.TELEMETRY_RAW.name(), p));
                }
                c.assign(parts);
                c.seekToEnd(parts);
                parts.forEach(c::position);
                while (running.get()) {
                    c.poll(Duration.ofMillis(50)).forEach(r -> {
                        long now = System.currentTimeMillis();
                        synchronized (samples) {
                            samples.add(now - CODEC.decodeStamped(r.value()).record().ts());
                        }
                    });
                }
            }
        }, "latency-consumer");
        consumer.start();
        Thread.sleep(1_000);
        try (MqttLoadClient load = new MqttLoadClient(host, port, ids, i -> tokens.get((int) i), 10, userSuffix)) {
            load.run(TimeUnit.SECONDS.toNanos(seconds), rate, IngestBenchmark::payload);
            load.drain(TimeUnit.SECONDS.toNanos(30));
        }
        Thread.sleep(2_000);
        running.set(false);
        consumer.join();
        long[] sorted;
        synchronized (samples) {
            sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return new double[] {percentile(sorted, 0.50), percentile(sorted, 0.99),
            sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], sorted.length};
    }

    /** Publish-to-PUBACK at a fixed rate: p50, p99, max (ms) and the sample count. */
    private static double[] pubAckLatency(String host, int port, List<String> ids, List<String> tokens, int seconds,
            int rate) throws Exception {
        try (MqttLoadClient load = new MqttLoadClient(host, port, ids, i -> tokens.get((int) i), 10, "@bench")) {
            load.run(TimeUnit.SECONDS.toNanos(2), rate, IngestBenchmark::payload);
            load.recordAckLatency = true;
            load.run(TimeUnit.SECONDS.toNanos(seconds), rate, IngestBenchmark::payload);
            load.recordAckLatency = false;
            load.drain(TimeUnit.SECONDS.toNanos(30));
            long[] sorted = load.ackLatencyMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            return new double[] {percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3,
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e3, sorted.length};
        }
    }

    /**
     * {@code n} connections opened at once from a child JVM (this one holds the server's ends): how long until all
     * are accepted, and the heap they take in this JVM while held (used heap after a GC, before and while).
     */
    private static String connectionStorm(Path dir, IngestService server, int port, List<String> ids,
            List<String> tokens, int n) throws Exception {
        Path creds = dir.resolve("storm-credentials.tsv");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            lines.append(ids.get(i)).append("@bench\t").append(tokens.get(i)).append('\n');
        }
        Files.writeString(creds, lines);
        long heapBefore = usedHeapAfterGc();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", Path.of(MqttConnectStorm.class.getProtectionDomain().getCodeSource().getLocation()
                        .toURI()).toString(), MqttConnectStorm.class.getName(),
                "127.0.0.1", String.valueOf(port), String.valueOf(n), creds.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("CONNECTED")) {
                return "Connection storm: the client process said " + line;
            }
            String[] f = line.split(" ");
            int connected = Integer.parseInt(f[1]);
            long ms = Long.parseLong(f[2]);
            awaitTrue(() -> server.mqttServer().connections() >= connected, 60);
            long heapHeld = usedHeapAfterGc();
            int held = server.mqttServer().connections();
            String note = String.format("Connections: %,d MQTT connections opened at once (each socket connects and "
                    + "sends CONNECT without waiting for the others; a child JVM holds the client ends): %,d "
                    + "connected in %,d ms (%s refused). Holding %,d, the heap in use after a full GC grew by %.1f "
                    + "MiB (%,d bytes a connection).", n, connected, ms, f.length > 4 ? f[4] : "?", held,
                    (heapHeld - heapBefore) / 1048576.0, held == 0 ? 0 : (heapHeld - heapBefore) / held);
            System.out.println(note);
            return note;
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static Throughput httpThroughput(int port, List<String> ids, List<String> tokens, int seconds)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/ingest/telemetry");
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                int device = first;
                while (System.nanoTime() < end) {
                    StringBuilder body = new StringBuilder(64 * 1_000).append('[');
                    long ts = System.currentTimeMillis();
                    for (int i = 0; i < 1_000; i++) {
                        body.append(i == 0 ? "" : ",").append(new String(payload(ts - i), StandardCharsets.UTF_8));
                    }
                    body.append(']');
                    try {
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + ids.get(device) + ":" + tokens.get(device))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 202) {
                            accepted.addAndGet(1_000);
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                    device = (device + 8) % ids.size();
                }
            }, "http-load-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("HTTP: accepted %d records, %d requests refused%n", accepted.get(), refused.get());
        return new Throughput(accepted.get(), elapsed, 0);
    }

    private static Throughput rawProducer(String bootstrap, List<String> ids, int seconds) throws Exception {
        KafkaSettings settings = new KafkaSettings().setBootstrapServers(bootstrap);
        AtomicLong acked = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaTelemetrySink.producerConfig(settings, "bench-raw"))) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            int device = 0;
            while (System.nanoTime() < end) {
                // The same work ingest does per record: decode what the device sent, stamp, encode.
                TelemetryRecord record = CODEC.decode(payload(System.currentTimeMillis()), System.currentTimeMillis());
                StampedTelemetry stamped = StampedTelemetry.stamp(new DeviceIdentity("bench", "sensor",
                        ids.get(device)), record, System.currentTimeMillis());
                producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), stamped.key(),
                        CODEC.encodeStamped(stamped)), (m, e) -> {
                            if (e == null) {
                                acked.incrementAndGet();
                            }
                        });
                sent++;
                device = (device + 1) % ids.size();
            }
            producer.flush();
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("raw producer: sent %d, acked %d%n", sent, acked.get());
            return new Throughput(acked.get(), elapsed, 0);
        }
    }

    private static byte[] payload(long ts) {
        return ("{\"ts\":" + ts + ",\"metrics\":{\"temperature\":21.5,\"humidity\":40.2},\"tags\":{\"site\":\"a\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }
}
