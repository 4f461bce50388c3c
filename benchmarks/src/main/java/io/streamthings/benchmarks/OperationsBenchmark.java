package io.streamthings.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.streamthings.devicemgmt.DeviceMgmtApplication;
import io.streamthings.devicemgmt.operations.OperationState;
import io.streamthings.ingest.support.IngestHarness;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Operations end to end: embedded Kafka and ingest's MQTT server (the ingest test harness), embedded PostgreSQL and
 * the device management service in this JVM, Paho clients as devices. Measures (1) the time from sending
 * {@code POST /devices/{id}/operations} to the operation stored DELIVERED (the device's PUBACK, through ingest,
 * {@code operation.status} and the consumer), one operation at a time to one online device, p50/p99/max; and (2) a
 * group operation to {@code group} connected devices, from the POST to every one COMPLETED (each device reports
 * IN_PROGRESS and COMPLETED over MQTT). Writes {@code results/operations.md}.
 *
 * <p>Arguments (all optional): {@code warmup=200 ops=1000 group=200 out=results/operations.md}.
 */
public final class OperationsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperationsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "200"));
        int ops = Integer.parseInt(a.getOrDefault("ops", "1000"));
        int group = Integer.parseInt(a.getOrDefault("group", "200"));
        String out = a.getOrDefault("out", "results/operations.md");
        double loadAtStart = loadAverage();
        Path work = Files.createTempDirectory("operations-bench");
        try (IngestHarness ingest = IngestHarness.start(work, c -> { });
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            int port = freePort();
            Path config = writeConfig(work, pg.getJdbcUrl("postgres", "postgres"), ingest.bootstrapServers(), port,
                    freePort());
            DeviceMgmtApplication app = new DeviceMgmtApplication();
            app.run("server", config.toString());
            Map<String, CompletableFuture<Long>> deliveredNanos = new ConcurrentHashMap<>();
            app.operationService().addListener(change -> {
                if (change.status() == OperationState.DELIVERED) {
                    long now = System.nanoTime();
                    deliveredNanos.computeIfAbsent(change.operationId(), k -> new CompletableFuture<>()).complete(now);
                }
            });
            String base = "http://127.0.0.1:" + port + "/api/v1";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String token = login(http, base, Files.readString(work.resolve("admin-password")).trim());
            send(http, base + "/device-types", token, "POST", "{\"name\":\"bench\",\"features\":[{\"code\":\"ping\","
                    + "\"params\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}]}", 201);
            send(http, base + "/groups", token, "POST", "{\"id\":\"fleet\",\"name\":\"fleet\"}", 201);
            ArrayNode rows = JSON.createArrayNode();
            rows.addObject().put("id", "solo").put("name", "solo").put("type", "bench");
            for (int i = 0; i < group; i++) {
                rows.addObject().put("id", "g-" + i).put("name", "g-" + i).put("type", "bench").putArray("groups")
                        .add("fleet");
            }
            JsonNode enrolled = JSON.readTree(send(http, base + "/devices/bulk", token, "POST", rows.toString(), 200));
            ExecutorService reporters = Executors.newFixedThreadPool(4);
            List<MqttClient> clients = new ArrayList<>();
            ExecutorService connectors = Executors.newFixedThreadPool(8);
            List<Future<MqttClient>> connecting = new ArrayList<>();
            for (JsonNode r : enrolled.path("results")) {
                String id = r.path("id").asText();
                String deviceToken = r.path("token").asText();
                connecting.add(connectors.submit(() -> connect(ingest.mqttUri(), id, deviceToken, reporters)));
            }
            for (Future<MqttClient> f : connecting) {
                clients.add(f.get());
            }
            connectors.shutdown();

            // (1) POST -> DELIVERED, one at a time to one online device.
            long[] latencies = new long[ops];
            for (int i = 0; i < warmup + ops; i++) {
                long t0 = System.nanoTime();
                String id = JSON.readTree(send(http, base + "/devices/solo/operations", token, "POST",
                        "{\"kind\":\"COMMAND\",\"code\":\"ping\",\"params\":{\"n\":" + i + "},\"oneWay\":true}", 201))
                        .path("id").asText();
                // The listener runs at the commit of DELIVERED, which may come before the POST's answer has been read.
                long at = deliveredNanos.computeIfAbsent(id, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
                if (i >= warmup) {
                    latencies[i - warmup] = at - t0;
                }
            }
            Arrays.sort(latencies);

            // (2) A group operation to every connected device, POST -> all COMPLETED.
            long g0 = System.nanoTime();
            String rollout = JSON.readTree(send(http, base + "/groups/fleet/operations", token, "POST",
                    "{\"kind\":\"COMMAND\",\"code\":\"ping\",\"params\":{\"n\":1}}", 201)).path("id").asText();
            double postSeconds = (System.nanoTime() - g0) / 1e9;
            JsonNode status;
            do {
                Thread.sleep(20); // a harness, not a test: polling the API is what a user does
                status = JSON.readTree(send(http, base + "/operations/" + rollout, token, "GET", null, 200));
            } while (status.path("status").asText().equals("RUNNING")
                    && System.nanoTime() - g0 < Duration.ofMinutes(5).toNanos());
            double groupSeconds = (System.nanoTime() - g0) / 1e9;

            String report = report(loadAtStart, warmup, latencies, group, postSeconds, groupSeconds, status);
            System.out.println(report);
            Path file = Path.of(out);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report);
            System.out.println("Written to " + file.toAbsolutePath());
            for (MqttClient c : clients) {
                try {
                    c.disconnectForcibly(100, 100);
                } catch (MqttException e) {
                    // going anyway
                }
            }
            reporters.shutdownNow();
        }
        System.exit(0); // Dropwizard's Jetty and the Kafka clients run non-daemon threads
    }

    private static String report(double loadAtStart, int warmup, long[] latencies, int group, double postSeconds,
            double groupSeconds, JsonNode rollout) {
        StringBuilder r = new StringBuilder("# Operations benchmark\n\n");
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append("; embedded Kafka, "
                        + "ingest's MQTT server, embedded PostgreSQL and device-mgmt-api in one JVM with the Paho "
                        + "devices, loopback. Machine load average (1 min) at start: ")
                .append(String.format(Locale.ROOT, "%.1f", loadAtStart)).append(", at end: ")
                .append(String.format(Locale.ROOT, "%.1f", loadAverage())).append(".\n\n");
        r.append("POST /devices/{id}/operations to the operation stored DELIVERED (outbox -> `operations` -> ingest -> "
                + "MQTT -> PUBACK -> `operation.status` -> consumer -> PostgreSQL), one at a time to one online "
                + "device, after ").append(warmup).append(" warm-up operations:\n\n");
        r.append("| operations | p50 ms | p90 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|\n");
        r.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f | %.1f |%n%n", latencies.length,
                pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6));
        r.append(String.format(Locale.ROOT, "Group operation to %,d connected devices (each reports IN_PROGRESS and "
                + "COMPLETED over MQTT): POST answered in %.2f s, rollout %s after %.2f s, counts %s.%n", group,
                postSeconds, rollout.path("status").asText(), groupSeconds, rollout.path("counts")));
        return r.toString();
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** A device that reports IN_PROGRESS then COMPLETED for each operation it gets (not for one-way ones). */
    private static MqttClient connect(String uri, String id, String token, ExecutorService reporters)
            throws Exception {
        MqttClient c = new MqttClient(uri, id + "-bench", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(id);
        o.setPassword(token.toCharArray());
        o.setCleanSession(true);
        o.setMaxInflight(100);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                c.connect(o); // refused until the credential has reached ingest's directory
                break;
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        c.subscribe("devices/" + id + "/operations", 1, (topic, m) -> {
            JsonNode payload = JSON.readTree(m.getPayload()).path("payload");
            if (payload.path("oneWay").asBoolean()) {
                return;
            }
            String opId = payload.path("operationId").asText();
            // Not on Paho's callback thread: a QoS 1 publish from it could wait on itself.
            reporters.execute(() -> {
                try {
                    publish(c, id, opId, "{\"status\":\"IN_PROGRESS\"}");
                    publish(c, id, opId, "{\"status\":\"COMPLETED\"}");
                } catch (MqttException e) {
                    System.err.println(id + ": " + e);
                }
            });
        });
        return c;
    }

    private static void publish(MqttClient c, String id, String opId, String body) throws MqttException {
        MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        c.publish("devices/" + id + "/operations/" + opId + "/status", m);
    }

    private static Path writeConfig(Path work, String jdbcUrl, String kafka, int port, int adminPort)
            throws IOException {
        String yaml = """
                server:
                  applicationConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
                  requestLog: {appenders: []}
                database:
                  url: "%s"
                  user: postgres
                  password: postgres
                  maxSize: 32
                kafka: {bootstrapServers: "%s"}
                mqtt: {host: 127.0.0.1, port: 1}
                influx: {url: "http://127.0.0.1:1"}
                auth: {adminPasswordFile: "%s"}
                logging:
                  level: WARN
                  loggers: {io.streamthings: WARN, org.apache.kafka: ERROR}
                """.formatted(port, adminPort, jdbcUrl, kafka, work.resolve("admin-password"));
        Path config = work.resolve("config.yml");
        Files.writeString(config, yaml);
        return config;
    }

    private static String send(HttpClient http, String url, String token, String method, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(2));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String login(HttpClient http, String base, String password)
            throws IOException, InterruptedException {
        String form = "grant_type=password&username=admin&password=" + URLEncoder.encode(password,
                StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = JSON.readTree(r.body());
        return n.path("access_token").asText();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
