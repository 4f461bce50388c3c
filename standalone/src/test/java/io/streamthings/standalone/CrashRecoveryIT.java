package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.field;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.flink.realtime.Checkpoints;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of the standalone platform, as a user meets it: the launcher runs as a child process, devices
 * enrolled through the API send telemetry over HTTP and QoS 1 over MQTT (Paho clients, to ingest's own MQTT server),
 * the launcher is killed with SIGKILL in the middle of the load, and started again on the same data folder. Then
 * every record the platform acknowledged (HTTP 2xx, MQTT PUBACK) must be in {@code telemetry.raw} and in InfluxDB,
 * and every 1-minute window in InfluxDB, those spanning the crash included, must equal the window computed from the
 * raw records.
 *
 * <p>{@code -D}{@value #MQTT_PROPERTY}{@code =false} leaves the MQTT devices out. With the embedded Moquette broker
 * the platform had before, which answered PUBACK before ingest had written the message to Kafka, the MQTT half lost
 * 1,955 of 3,743 acknowledged publishes (benchmarks/results/crash-recovery.md).
 *
 * <p>Event time runs on a clock of its own, {@value #EVENT_SPEED} times as fast as the wall clock and stopped while
 * the platform is down, so that windows open before the kill close after the restart within seconds, and hold
 * readings from both sides of the crash.
 */
class CrashRecoveryIT {

    static final String MQTT_PROPERTY = "streamthings.crashIT.mqtt";
    private static final boolean MQTT = !"false".equals(System.getProperty(MQTT_PROPERTY, "true"));
    private static final long MINUTE = 60_000;
    private static final int EVENT_SPEED = 6;
    private static final int HTTP_DEVICES_PER_PARTITION = 2;
    private static final int MQTT_DEVICES = 4;
    private static final int HTTP_BATCH = 10;
    private static final int MQTT_MAX_INFLIGHT = 20;
    private static final String TYPE = "crash-sensor";
    private static final String TENANT = "default";
    private static final Duration START_WAIT = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String adminPassword = "crash-it-" + Long.toHexString(System.nanoTime());
    private final Path logs = Path.of("target", "crash-recovery-it").toAbsolutePath();

    @TempDir
    Path dataDir;

    private StandaloneConfig config;
    private String api;

    @Test
    void shouldKeepEveryAcknowledgedRecordAndExactWindowsAfterKill9MidLoad() throws Exception {
        config = freePorts(dataDir);
        api = "http://127.0.0.1:" + config.httpPort() + "/api/v1";
        Files.createDirectories(logs);
        Process launcher = launch(1);
        Process second = null;
        Load load = null;
        try {
            // Given the platform up, devices enrolled through the API, and HTTP (and MQTT) load running
            awaitUp(launcher, 1);
            String admin = adminToken(http, api, adminPassword);
            Map<String, String> httpDevices = enroll(admin, "crash-h-", HTTP_DEVICES_PER_PARTITION);
            Map<String, String> mqttDevices = MQTT ? enroll(admin, "crash-m-", 0) : Map.of();
            Load active = new Load(httpDevices, mqttDevices);
            load = active;
            active.start();

            // When the launcher is killed with SIGKILL mid-load, after the real-time job completed a checkpoint
            Path checkpoints = dataDir.resolve("flink").resolve("checkpoints");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> Checkpoints.latest(checkpoints).isPresent() && active.acknowledged() >= 2_000);
            long ackedAtCheckpoint = active.acknowledged();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> active.acknowledged() >= ackedAtCheckpoint + 1_000);
            active.pause();
            long killedAt = System.nanoTime();
            launcher.destroyForcibly();
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long ackedBeforeKill = active.acknowledged();
            Map<String, Long> lastAckedBeforeKill = active.lastAcknowledgedTs();

            // And started again on the same data folder
            second = launch(2);
            awaitUp(second, 2);
            long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            active.resume();
            // Dropwizard's log appender is asynchronous: the line may follow the start banner by a moment.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("the real-time job restored its checkpoint")
                    .until(() -> Files.readString(logs.resolve("run-2.log")).contains("restored from"));

            // And the load goes on until every window open at the kill has closed in event time
            long eventTimeAtResume = active.clock.now();
            long closeAfter = (eventTimeAtResume / MINUTE + 1) * MINUTE + 10_000;
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> active.clock.now() > closeAfter);
            active.stop();
            // One reading per device far ahead in event time moves every partition's watermark past all windows.
            long closingTs = active.clock.now() + 3 * MINUTE;
            Set<String> allDevices = new TreeSet<>(httpDevices.keySet());
            allDevices.addAll(mqttDevices.keySet());
            Map<String, String> tokens = new HashMap<>(httpDevices);
            tokens.putAll(mqttDevices);
            for (String device : allDevices) {
                sendClosing(device, tokens.get(device), closingTs, active);
            }

            // Then every acknowledged record is in telemetry.raw
            Map<String, TreeMap<Long, List<Double>>> raw = readRaw(config);
            long stored = raw.values().stream().mapToLong(m -> m.values().stream().mapToLong(List::size).sum()).sum();
            long duplicates = raw.values().stream().mapToLong(m -> m.values().stream()
                    .filter(l -> l.size() > 1).count()).sum();
            Map<String, Set<Long>> acked = active.acknowledgedByDevice();
            List<String> missing = new ArrayList<>();
            acked.forEach((device, tss) -> tss.stream()
                    .filter(ts -> !raw.getOrDefault(device, new TreeMap<>()).containsKey(ts))
                    .forEach(ts -> missing.add(device + "@" + ts)));
            long ackedHttp = active.httpAcked.get();
            long ackedMqtt = active.mqttAcked.get();
            String figures = String.format("acknowledged %d (HTTP %d, MQTT %d; %d before the kill), in telemetry.raw"
                    + " %d (duplicates %d), acknowledged but missing %d, kill -9 to up again %.1f s, MQTT half %s;"
                    + " %d cores, load average %s", ackedHttp + ackedMqtt, ackedHttp, ackedMqtt, ackedBeforeKill,
                    stored, duplicates, missing.size(), recoveredMs / 1000.0, MQTT ? "on" : "off",
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.println("CrashRecoveryIT: " + figures);
            Files.writeString(logs.resolve("figures.txt"), figures + "\n");
            assertThat(missing).as("acknowledged records missing from telemetry.raw").isEmpty();

            // And every raw point (acknowledged or not, as long as Kafka has it) is in InfluxDB
            String influx = "http://127.0.0.1:" + config.influxPort();
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, Set<Long>> points = influxRawTimestamps(influx);
                for (String device : allDevices) {
                    assertThat(points.getOrDefault(device, Set.of())).as("raw points of " + device)
                            .isEqualTo(raw.getOrDefault(device, new TreeMap<>()).keySet());
                }
            });

            // And every 1-minute window before the closing readings equals the one computed from the raw records
            Map<String, Window> expected = windows(raw, closingTs);
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(influxWindows(influx, (closingTs / MINUTE) * MINUTE)).isEqualTo(expected));

            // Among them the windows that span the crash: readings before the kill and after the restart
            long spanning = lastAckedBeforeKill.entrySet().stream().filter(e -> {
                long start = e.getValue() / MINUTE * MINUTE;
                return raw.get(e.getKey()).subMap(start, start + MINUTE).keySet().stream()
                        .anyMatch(ts -> ts > e.getValue() && ts >= eventTimeAtResume - 1);
            }).count();
            System.out.println("CrashRecoveryIT: " + expected.size() + " windows equal, " + spanning
                    + " of them spanning the crash");
            Files.writeString(logs.resolve("figures.txt"), expected.size() + " windows equal, " + spanning
                    + " spanning the crash\n", StandardOpenOption.APPEND);
            assertThat(spanning).as("windows holding readings from both sides of the crash").isPositive();
        } finally {
            if (load != null) {
                load.stop();
            }
            stop(launcher);
            stop(second);
            Platform.stopLeftovers(dataDir);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    // ---- the platform as a child process

    private Process launch(int run) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), StandaloneLauncher.class.getName(),
                "--data-dir", dataDir.toString(), "--bind", "127.0.0.1",
                "--http-port", String.valueOf(config.httpPort()), "--admin-port", String.valueOf(config.adminPort()),
                "--kafka-port", String.valueOf(config.kafkaPort()), "--mqtt-port", String.valueOf(config.mqttPort()),
                "--postgres-port", String.valueOf(config.postgresPort()),
                "--influx-port", String.valueOf(config.influxPort()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("run-" + run + ".log").toFile());
        builder.environment().put("STREAMTHINGS_ADMIN_PASSWORD", adminPassword);
        return builder.start();
    }

    /** Up: the launcher printed that every part started, and the health checks pass. */
    private void awaitUp(Process launcher, int run) {
        Path log = logs.resolve("run-" + run + ".log");
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.adminPort()
                + "/healthcheck")).timeout(Duration.ofSeconds(5)).build();
        await().atMost(START_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(launcher.isAlive()).as("launcher run " + run + " is alive; see " + log).isTrue();
            if (!Files.readString(log).contains("StreamThings is up in")) {
                return false;
            }
            try {
                return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the shutdown hook stops every part
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- devices

    /**
     * Enrolls devices of the crash-sensor type: {@code perPartition} on each partition of telemetry.raw (a partition
     * without devices would hold the watermark until it is declared idle), or {@value #MQTT_DEVICES} when 0.
     */
    private Map<String, String> enroll(String admin, String prefix, int perPartition) throws Exception {
        HttpResponse<String> type = send(HttpRequest.newBuilder(URI.create(api + "/device-types"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + TYPE + "\",\"metrics\":[{\"name\":\"v\","
                        + "\"type\":\"number\"}],\"transports\":[\"mqtt\",\"http\"]}"))
                .build());
        assertThat(type.statusCode()).as(type.body()).isIn(201, 409);
        int partitions = Topics.TELEMETRY_RAW.partitions();
        int[] perPartitionCount = new int[partitions];
        Map<String, String> tokens = new TreeMap<>();
        int wanted = perPartition == 0 ? MQTT_DEVICES : perPartition * partitions;
        for (int i = 0; tokens.size() < wanted; i++) {
            String id = prefix + i;
            int partition = Utils.toPositive(Utils.murmur2(Topics.deviceKey(TENANT, id)
                    .getBytes(StandardCharsets.UTF_8))) % partitions;
            if (perPartition > 0 && perPartitionCount[partition] >= perPartition) {
                continue;
            }
            perPartitionCount[partition]++;
            HttpResponse<String> enrolled = send(HttpRequest.newBuilder(URI.create(api + "/devices"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"name\":\"" + id
                            + "\",\"type\":\"" + TYPE + "\"}"))
                    .build());
            assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
            tokens.put(id, field(enrolled.body(), "token"));
        }
        return tokens;
    }

    private void sendClosing(String device, String token, long ts, Load load) throws Exception {
        String body = "{\"ts\":" + ts + ",\"metrics\":{\"v\":-1}}";
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                return ingest(device, token, body).statusCode() == 202;
            } catch (IOException e) {
                return false;
            }
        });
        load.acknowledge(device, ts, false);
    }

    private HttpResponse<String> ingest(String device, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/ingest/telemetry"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + device + ":" + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---- load

    /** Event time: the wall clock sped up, stopped while the platform is down. */
    static final class EventClock {
        private final long origin = (System.currentTimeMillis() / MINUTE - 30) * MINUTE;
        private final long startNanos = System.nanoTime();
        private long pausedNanos;
        private long pausedAt = -1;

        synchronized long now() {
            long wall = (pausedAt >= 0 ? pausedAt : System.nanoTime()) - startNanos - pausedNanos;
            return origin + TimeUnit.NANOSECONDS.toMillis(wall) * EVENT_SPEED;
        }

        synchronized void pause() {
            pausedAt = System.nanoTime();
        }

        synchronized void resume() {
            pausedNanos += System.nanoTime() - pausedAt;
            pausedAt = -1;
        }
    }

    /** Devices sending as fast as they are answered; each reading has a ts of its own per device, and v = a counter. */
    final class Load {
        final EventClock clock = new EventClock();
        final AtomicLong httpAcked = new AtomicLong();
        final AtomicLong mqttAcked = new AtomicLong();
        private final Map<String, String> httpDevices;
        private final Map<String, String> mqttDevices;
        private final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> lastAcked = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private final Object gate = new Object();
        private volatile boolean open = true;
        private volatile boolean running = true;

        Load(Map<String, String> httpDevices, Map<String, String> mqttDevices) {
            this.httpDevices = httpDevices;
            this.mqttDevices = mqttDevices;
        }

        void start() {
            httpDevices.forEach((id, token) -> threads.add(new Thread(() -> httpDevice(id, token), "http-" + id)));
            mqttDevices.forEach((id, token) -> threads.add(new Thread(() -> mqttDevice(id, token), "mqtt-" + id)));
            threads.forEach(Thread::start);
        }

        /** Stops new sends and event time; what is in flight stays in flight (and dies with the platform). */
        void pause() {
            open = false;
            clock.pause();
        }

        void resume() {
            clock.resume();
            synchronized (gate) {
                open = true;
                gate.notifyAll();
            }
        }

        void stop() throws InterruptedException {
            running = false;
            synchronized (gate) {
                open = true;
                gate.notifyAll();
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
        }

        long acknowledged() {
            return httpAcked.get() + mqttAcked.get();
        }

        Map<String, Set<Long>> acknowledgedByDevice() {
            return acked;
        }

        Map<String, Long> lastAcknowledgedTs() {
            Map<String, Long> last = new HashMap<>();
            lastAcked.forEach((d, ts) -> last.put(d, ts.get()));
            return last;
        }

        void acknowledge(String device, long ts, boolean count) {
            acked.computeIfAbsent(device, d -> ConcurrentHashMap.newKeySet()).add(ts);
            lastAcked.computeIfAbsent(device, d -> new AtomicLong(Long.MIN_VALUE)).accumulateAndGet(ts, Math::max);
            if (count) {
                httpAcked.incrementAndGet();
            }
        }

        private boolean awaitOpen() {
            synchronized (gate) {
                while (!open && running) {
                    try {
                        gate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return running;
        }

        private void httpDevice(String id, String token) {
            long last = Long.MIN_VALUE;
            long seq = 0;
            while (awaitOpen()) {
                long[] ts = new long[HTTP_BATCH];
                StringBuilder body = new StringBuilder("[");
                long first = Math.max(clock.now(), last + 1);
                for (int i = 0; i < HTTP_BATCH; i++) {
                    ts[i] = first + i;
                    body.append(i == 0 ? "" : ",").append("{\"ts\":").append(ts[i])
                            .append(",\"metrics\":{\"v\":").append(seq + i).append("}}");
                }
                body.append(']');
                int status;
                try {
                    status = ingest(id, token, body.toString()).statusCode();
                } catch (Exception e) {
                    status = -1; // the platform died under the request: Kafka may or may not have the batch
                }
                if (status >= 400 && status < 500) {
                    // Refused (the credential not yet in ingest's directory after a start): nothing was stored.
                    pauseBriefly();
                    continue;
                }
                last = ts[HTTP_BATCH - 1];
                seq += HTTP_BATCH;
                if (status == 202) {
                    for (long t : ts) {
                        acknowledge(id, t, true);
                    }
                } else {
                    pauseBriefly();
                }
            }
        }

        private void mqttDevice(String id, String token) {
            AtomicLong last = new AtomicLong(Long.MIN_VALUE);
            long seq = 0;
            while (awaitOpen()) {
                MqttAsyncClient client = null;
                try {
                    client = new MqttAsyncClient("tcp://127.0.0.1:" + config.mqttPort(), id + "-client",
                            new MemoryPersistence());
                    MqttConnectOptions options = new MqttConnectOptions();
                    options.setUserName(id);
                    options.setPassword(token.toCharArray());
                    options.setCleanSession(true);
                    options.setMaxInflight(MQTT_MAX_INFLIGHT);
                    options.setAutomaticReconnect(false);
                    client.connect(options).waitForCompletion(10_000);
                    Semaphore window = new Semaphore(MQTT_MAX_INFLIGHT);
                    while (running && client.isConnected()) {
                        if (!open) {
                            // Paused for the kill: publish nothing new, keep what is in flight in flight.
                            Thread.sleep(20);
                            continue;
                        }
                        if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                            continue;
                        }
                        long ts = Math.max(clock.now(), last.get() + 1);
                        last.set(ts);
                        MqttMessage message = new MqttMessage(("{\"ts\":" + ts + ",\"metrics\":{\"v\":" + seq++
                                + "}}").getBytes(StandardCharsets.UTF_8));
                        message.setQos(1);
                        client.publish("devices/" + id + "/telemetry", message, null, new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                // Called on the PUBACK: the platform acknowledged this reading.
                                acked.computeIfAbsent(id, d -> ConcurrentHashMap.newKeySet()).add(ts);
                                lastAcked.computeIfAbsent(id, d -> new AtomicLong(Long.MIN_VALUE))
                                        .accumulateAndGet(ts, Math::max);
                                mqttAcked.incrementAndGet();
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable error) {
                                window.release();
                            }
                        });
                    }
                } catch (MqttException e) {
                    pauseBriefly(); // down, or the credential not there yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    close(client);
                }
            }
        }

        private void close(MqttAsyncClient client) {
            if (client == null) {
                return;
            }
            try {
                if (client.isConnected()) {
                    client.disconnect(5_000).waitForCompletion(6_000);
                }
            } catch (MqttException e) {
                // the platform is gone; nothing to say goodbye to
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                // already closed
            }
        }

        private void pauseBriefly() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- what the platform stored

    /** The crash-sensor readings of telemetry.raw: per device, ts -> the values stored with it (twice if doubled). */
    private static Map<String, TreeMap<Long, List<Double>>> readRaw(StandaloneConfig config) {
        TelemetryCodec codec = new TelemetryCodec();
        Map<String, TreeMap<Long, List<Double>>> byDevice = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + config.kafkaPort(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.TELEMETRY_RAW.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.TELEMETRY_RAW.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    StampedTelemetry t = codec.decodeStamped(r.value());
                    if (TYPE.equals(t.deviceType())) {
                        byDevice.computeIfAbsent(t.deviceId(), d -> new TreeMap<>())
                                .computeIfAbsent(t.record().ts(), ts -> new ArrayList<>())
                                .add(t.record().metrics().get("v"));
                    }
                });
            }
        }
        return byDevice;
    }

    /** A window's figures as InfluxDB keeps them and as computed from the raw records. */
    record Window(long count, double min, double max, double sum, double last) {}

    /** The 1-minute windows of the raw readings before the closing ones, keyed deviceId/windowStart. */
    private static Map<String, Window> windows(Map<String, TreeMap<Long, List<Double>>> raw, long closingTs) {
        Map<String, Window> windows = new TreeMap<>();
        raw.forEach((device, readings) -> readings.headMap(closingTs).forEach((ts, values) -> {
            String key = device + "/" + ts / MINUTE * MINUTE;
            for (double v : values) {
                windows.merge(key, new Window(1, v, v, v, v), (a, b) -> new Window(a.count() + 1,
                        Math.min(a.min(), b.min()), Math.max(a.max(), b.max()), a.sum() + b.sum(), b.last()));
            }
        }));
        return windows;
    }

    private Map<String, Window> influxWindows(String influx, long before) throws Exception {
        JsonNode series = query(influx, "SELECT \"count\", \"min\", \"max\", \"sum\", \"last\" "
                + "FROM \"rp_1m\".\"telemetry_1m\" WHERE deviceType = '" + TYPE + "' AND metric = 'v' AND time < "
                + before + "ms GROUP BY deviceId");
        Map<String, Window> windows = new TreeMap<>();
        for (JsonNode s : series) {
            String device = s.path("tags").path("deviceId").asText();
            for (JsonNode row : s.path("values")) {
                windows.put(device + "/" + row.get(0).asLong(), new Window(row.get(1).asLong(),
                        row.get(2).asDouble(), row.get(3).asDouble(), row.get(4).asDouble(), row.get(5).asDouble()));
            }
        }
        return windows;
    }

    private Map<String, Set<Long>> influxRawTimestamps(String influx) throws Exception {
        JsonNode series = query(influx, "SELECT v FROM \"raw\".\"telemetry\" WHERE deviceType = '" + TYPE
                + "' GROUP BY deviceId");
        Map<String, Set<Long>> points = new TreeMap<>();
        for (JsonNode s : series) {
            Set<Long> ts = new TreeSet<>();
            s.path("values").forEach(row -> ts.add(row.get(0).asLong()));
            points.put(s.path("tags").path("deviceId").asText(), ts);
        }
        return points;
    }

    /** The series of an InfluxQL query on the platform's database, times in ms. */
    private JsonNode query(String influx, String influxQl) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(influx + "/query?epoch=ms&db="
                        + Platform.DATABASE + "&q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json.readTree(response.body()).path("results").path(0);
        assertThat(result.has("error")).as(response.body()).isFalse();
        return result.path("series");
    }
}
