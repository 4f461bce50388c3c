package io.streamthings.benchmarks;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.MqttBroker;
import io.streamthings.embedded.Ports;
import io.streamthings.ingest.IngestApplication;
import io.streamthings.ingest.IngestService;
import io.streamthings.ingest.config.KafkaSettings;
import io.streamthings.ingest.sink.KafkaTelemetrySink;
import io.streamthings.ingest.support.Credentials;
import io.streamthings.ingest.support.MosquittoProcess;
import io.streamthings.ingest.support.PolicyMqttAccess;
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
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

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
        Map<String, String> opts = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/ingest.md"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
        int devices = Integer.parseInt(opts.getOrDefault("devices", "1000"));
        Path dir = Files.createTempDirectory("ingest-bench");
        List<String> lines = new ArrayList<>();
        try {
            run(dir, seconds, devices, lines);
        } finally {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            System.out.println(String.join("\n", lines));
            System.out.println("written to " + out);
        }
        System.exit(0);
    }

    private static void run(Path dir, int seconds, int devices, List<String> md) throws Exception {
        md.add("# Ingest benchmark");
        md.add("");
        md.add("Run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ". One JVM holds the embedded Kafka (KRaft), Moquette 0.17, "
                + "the ingest service (Dropwizard, HTTP and the Paho subscriber) and the load generators; mosquitto "
                + "2.0 runs as a child process. " + devices + " device connections; " + seconds + " s per phase.");
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
                    uri: "tcp://127.0.0.1:%d"
                    servicePassword: "bench-%d"
                  rateLimit:
                    enabled: false
                logging:
                  level: WARN
                """.formatted(httpPort, Ports.free(), bootstrap, mqttPort, System.nanoTime()));
        IngestApplication app = new IngestApplication();
        MqttBroker broker = MqttBroker.start("127.0.0.1", mqttPort, dir.resolve("moquette"),
                new PolicyMqttAccess(() -> app.service() == null ? null : app.service().policy()), List.of());
        app.run("server", config.toString());
        IngestService ingest = app.service();
        awaitTrue(() -> ingest.policy().devicesAdmitted() && ingest.directory().size() == devices, 60);

        // 1. MQTT through Moquette and ingest into Kafka.
        LongSupplier inKafka = () -> ingest.metrics().acceptedCount();
        Throughput viaIngest = mqttThroughput("127.0.0.1", mqttPort, ids, tokens, seconds, inKafka);
        // 2. Latency at a fixed rate well below saturation.
        int latencyRate = (int) Math.max(100, Math.min(5_000, viaIngest.perSecond() / 2));
        double[] latency = mqttLatency(bootstrap, "127.0.0.1", mqttPort, ids, tokens, Math.min(seconds, 15),
                latencyRate);
        // 3. HTTP batches.
        Throughput http = httpThroughput(httpPort, ids, tokens, seconds);
        broker.close();
        // 4. A raw producer writing the same stamped records with ingest's producer settings.
        Throughput raw = rawProducer(bootstrap, ids, seconds);
        // 5. mosquitto alone, the same messages to one plain subscriber.
        Throughput mosquitto;
        try (MosquittoProcess process = MosquittoProcess.start(dir.resolve("mosquitto"))) {
            mosquitto = mosquittoAlone(process.port(), ids, seconds);
        }
        ingest.stop();
        kafka.close();

        md.add("| measurement | records | seconds | records/s | vs raw Kafka producer | vs mosquitto alone |");
        md.add("|---|---:|---:|---:|---:|---:|");
        md.add(row("MQTT QoS 1, " + devices + " devices -> Moquette -> ingest -> Kafka (acks=all)", viaIngest, raw,
                mosquitto));
        md.add(row("HTTP batches of 1,000 -> ingest -> Kafka", http, raw, mosquitto));
        md.add(row("raw Kafka producer, same stamped records, same settings", raw, raw, mosquitto));
        md.add(row("mosquitto alone, same MQTT messages, " + devices + " devices -> 1 subscriber", mosquitto, raw,
                mosquitto));
        md.add("");
        md.add(String.format("Publish -> Kafka latency over MQTT at %,d msg/s (%,d samples): p50 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms. Measured from the record's `ts`, set by the device when it publishes, to a consumer "
                + "of `telemetry.raw` seeing it (so it includes the consumer's fetch).", latencyRate,
                (long) latency[3], latency[0], latency[1], latency[2]));
        md.add("");
        md.add("MQTT broker acknowledgements during phase 1: " + String.format("%,d", viaIngest.brokerAcks())
                + " PUBACKs; the MQTT figure counts records in Kafka, until the last one arrived.");
    }

    private record Throughput(long records, double seconds, long brokerAcks) {
        double perSecond() {
            return records / Math.max(seconds, 1e-9);
        }
    }

    private static String row(String name, Throughput t, Throughput raw, Throughput mosquitto) {
        return String.format("| %s | %,d | %.1f | %,.0f | %.2f | %.2f |", name, t.records(), t.seconds(),
                t.perSecond(), t.perSecond() / raw.perSecond(), t.perSecond() / mosquitto.perSecond());
    }

    private static Throughput mqttThroughput(String host, int port, List<String> ids, List<String> tokens,
            int seconds, LongSupplier inKafka) throws Exception {
        long before = inKafka.getAsLong();
        try (MqttLoadClient load = new MqttLoadClient(host, port, ids, i -> tokens.get((int) i), 10)) {
            long start = System.nanoTime();
            load.run(TimeUnit.SECONDS.toNanos(seconds), 0, IngestBenchmark::payload);
            load.drain(TimeUnit.SECONDS.toNanos(60));
            long target = before + load.acknowledged.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (inKafka.getAsLong() < target && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("MQTT via ingest: published %d, acked %d, in Kafka %d%n", load.published.get(),
                    load.acknowledged.get(), inKafka.getAsLong() - before);
            return new Throughput(inKafka.getAsLong() - before, elapsed, load.acknowledged.get());
        }
    }

    private static double[] mqttLatency(String bootstrap, String host, int port, List<String> ids,
            List<String> tokens, int seconds, int rate) throws Exception {
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
        try (MqttLoadClient load = new MqttLoadClient(host, port, ids, i -> tokens.get((int) i), 10)) {
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

    private static Throughput mosquittoAlone(int port, List<String> ids, int seconds) throws Exception {
        AtomicLong received = new AtomicLong();
        MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + port, "bench-subscriber", new MemoryPersistence());
        subscriber.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("plain subscriber lost its connection: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.incrementAndGet();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(1_000);
        subscriber.connect(options);
        subscriber.subscribe("devices/+/telemetry", 1);
        try (MqttLoadClient load = new MqttLoadClient("127.0.0.1", port, ids, null, 10)) {
            long start = System.nanoTime();
            load.run(TimeUnit.SECONDS.toNanos(seconds), 0, IngestBenchmark::payload);
            load.drain(TimeUnit.SECONDS.toNanos(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < load.acknowledged.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("mosquitto alone: published %d, acked %d, received %d%n", load.published.get(),
                    load.acknowledged.get(), received.get());
            subscriber.disconnect();
            return new Throughput(received.get(), elapsed, load.acknowledged.get());
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
