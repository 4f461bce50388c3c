package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations end to end on the whole platform: the device service, ingest's own MQTT server and Kafka in one JVM, with
 * real Paho clients as devices. A group operation to 100 devices over MQTT reaches COMPLETED on every one; a device
 * pulls over HTTP; a device offline when its operation is created gets it when it connects; and the platform stopped in
 * the middle of a rollout finishes every operation after its start (or times it out, for devices that stay away).
 */
class OperationsEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLEET = 100;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService reporters = Executors.newFixedThreadPool(4);
    private final Map<String, SimDevice> devices = new LinkedHashMap<>();
    private String api;
    private String admin;

    @TempDir
    Path dataDir;

    @AfterEach
    void tearDown() {
        devices.values().forEach(SimDevice::close);
        reporters.shutdownNow();
    }

    @Test
    void shouldCarryOperationsToDevicesOverMqttAndHttpAndFinishEveryOneAcrossARestart() throws Exception {
        StandaloneConfig config = freePorts(dataDir);
        Platform platform = Platform.start(config);
        try {
            api = "http://127.0.0.1:" + config.httpPort() + "/api/v1";
            admin = adminToken(http, api, Files.readString(dataDir.resolve("initial-admin-password")).trim());
            call("POST", "/device-types", "{\"name\":\"lamp\",\"features\":[{\"code\":\"reboot\",\"params\":"
                    + "{\"type\":\"object\",\"properties\":{\"delaySeconds\":{\"type\":\"integer\"}}}},"
                    + "{\"code\":\"buzz\"}]}", 201);
            call("POST", "/groups", "{\"id\":\"fleet\",\"name\":\"Fleet\"}", 201);
            ArrayNode rows = JSON.createArrayNode();
            for (int i = 0; i < FLEET; i++) {
                rows.addObject().put("id", "lamp-" + i).put("name", "lamp " + i).put("type", "lamp")
                        .putArray("groups").add("fleet");
            }
            rows.addObject().put("id", "http-1").put("name", "pulls over HTTP").put("type", "lamp");
            rows.addObject().put("id", "late-1").put("name", "offline at first").put("type", "lamp");
            for (JsonNode r : call("POST", "/devices/bulk", rows.toString(), 200).path("results")) {
                assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("ENROLLED");
                devices.put(r.path("id").asText(), new SimDevice(r.path("id").asText(), r.path("token").asText()));
            }
            connect(config.mqttPort(), 0);

            // 1. A group operation over real MQTT reaches COMPLETED on every one of the 100.
            String rollout = call("POST", "/groups/fleet/operations", "{\"kind\":\"COMMAND\",\"code\":\"reboot\","
                    + "\"params\":{\"delaySeconds\":0}}", 201).path("id").asText();
            await().atMost(WAIT).until(() -> get("/operations/" + rollout).path("status").asText()
                    .equals("COMPLETED"));
            JsonNode done = get("/operations/" + rollout);
            assertThat(done.path("counts").path("COMPLETED").asLong()).isEqualTo(FLEET);
            JsonNode one = get("/operations/" + get("/operations/" + rollout + "/operations?limit=1")
                    .path("items").get(0).path("id").asText());
            assertThat(one.path("history")).extracting(n -> n.path("status").asText())
                    // DELIVERED (the PUBACK) may reach ingest after the device's IN_PROGRESS report; then it is late
                    // and, states going forward only, not recorded.
                    .containsSubsequence("SENT", "IN_PROGRESS", "COMPLETED");
            assertThat(one.path("response").path("ok").asBoolean()).isTrue();

            // 2. A device that cannot hold a connection pulls over HTTP and reports over HTTP.
            String pulledOp = call("POST", "/devices/http-1/operations", "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}",
                    201).path("id").asText();
            JsonNode pulled = device("GET", "/device/operations/pending", "http-1", null, 200);
            assertThat(pulled).extracting(n -> n.path("operationId").asText()).containsExactly(pulledOp);
            device("PUT", "/device/operations/" + pulledOp, "http-1", "{\"status\":\"COMPLETED\"}", 200);
            assertThat(get("/operations/" + pulledOp).path("status").asText()).isEqualTo("COMPLETED");

            // 3. A device offline when its operations are created gets them, in creation order, when it connects.
            String first = call("POST", "/devices/late-1/operations", "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}", 201)
                    .path("id").asText();
            String second = call("POST", "/devices/late-1/operations", "{\"kind\":\"COMMAND\",\"code\":\"reboot\"}",
                    201).path("id").asText();
            assertThat(get("/operations/" + first).path("status").asText()).isEqualTo("SENT");
            SimDevice late = devices.get("late-1");
            late.connect(config.mqttPort());
            await().atMost(WAIT).until(() -> get("/operations/" + second).path("status").asText()
                    .equals("COMPLETED") && get("/operations/" + first).path("status").asText().equals("COMPLETED"));
            assertThat(late.received).containsSubsequence(first, second);

            // 4. The platform stops in the middle of a rollout; after its start every operation finishes, or times
            // out for the devices that stay away.
            String slow = call("POST", "/groups/fleet/operations", "{\"kind\":\"COMMAND\",\"code\":\"buzz\","
                    + "\"timeoutSeconds\":60,\"expiresInSeconds\":90,\"rollout\":{\"ratePerMinute\":600}}", 201)
                    .path("id").asText();
            await().atMost(WAIT).until(() -> get("/operations/" + slow).path("counts").path("COMPLETED").asLong()
                    >= 1);
            platform.close();
            devices.values().forEach(SimDevice::close);
            platform = Platform.start(config);
            admin = adminToken(http, api, Files.readString(dataDir.resolve("initial-admin-password")).trim());
            // Five lamps stay away: theirs must end EXPIRED or TIMED_OUT, not hang.
            connect(config.mqttPort(), 5);
            await().atMost(Duration.ofMinutes(5)).until(() -> !get("/operations/" + slow).path("status").asText()
                    .equals("RUNNING"));
            JsonNode after = get("/operations/" + slow);
            JsonNode counts = after.path("counts");
            assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("COMPLETED");
            assertThat(counts.path("COMPLETED").asLong() + counts.path("EXPIRED").asLong()
                    + counts.path("TIMED_OUT").asLong()).as(counts.toString()).isEqualTo(FLEET);
            assertThat(counts.path("COMPLETED").asLong()).as(counts.toString()).isGreaterThanOrEqualTo(FLEET - 5);
            for (String open : List.of("PENDING", "SENT", "DELIVERED", "IN_PROGRESS")) {
                assertThat(counts.path(open).asLong()).as(open).isZero();
            }
            // An operation sent again (after the restart, on reconnect) carries the same idempotency key, so a device
            // that got it twice ran it once.
            for (SimDevice d : devices.values()) {
                d.keysByOperation.forEach((op, keys) -> assertThat(keys).as(d.id + " " + op).hasSize(1));
            }
        } finally {
            platform.close();
        }
    }

    /** Connects lamp-{from} to lamp-{FLEET - 1}, a few at a time. */
    private void connect(int port, int from) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = from; i < FLEET; i++) {
                SimDevice d = devices.get("lamp-" + i);
                done.add(pool.submit(() -> {
                    d.connect(port);
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A lamp over MQTT: runs each operation once (by its idempotency key), reports IN_PROGRESS then COMPLETED. */
    private final class SimDevice implements MqttCallback {

        final String id;
        final String token;
        final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Map<String, String> doneByKey = new ConcurrentHashMap<>();
        final Map<String, Set<String>> keysByOperation = new ConcurrentHashMap<>();
        volatile MqttClient client;

        SimDevice(String id, String token) {
            this.id = id;
            this.token = token;
        }

        void connect(int port) throws Exception {
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id + "-" + System.nanoTime(),
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(id);
            options.setPassword(token.toCharArray());
            options.setCleanSession(true);
            options.setMaxInflight(100);
            c.setCallback(this);
            // The credential travels registry -> outbox -> device.credentials -> ingest: wait for it.
            await().atMost(WAIT).ignoreExceptionsInstanceOf(MqttException.class).until(() -> {
                c.connect(options);
                return true;
            });
            c.subscribe("devices/" + id + "/operations", 1);
            client = c;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            JsonNode op = JSON.readTree(message.getPayload());
            JsonNode payload = op.path("payload");
            String opId = payload.path("operationId").asText();
            String key = payload.path("idempotencyKey").asText();
            received.add(opId);
            keysByOperation.computeIfAbsent(opId, k -> ConcurrentHashMap.newKeySet()).add(key);
            MqttClient c = client;
            // Paho delivers on its callback thread; publishing from it could wait on itself, so report elsewhere.
            reporters.execute(() -> {
                try {
                    if (doneByKey.putIfAbsent(key, opId) == null) {
                        report(c, opId, "{\"status\":\"IN_PROGRESS\"}");
                    }
                    report(c, opId, "{\"status\":\"COMPLETED\",\"response\":{\"ok\":true}}");
                } catch (MqttException e) {
                    // The connection went (the platform stopping): the operation comes again on reconnect.
                }
            });
        }

        private void report(MqttClient c, String opId, String body) throws MqttException {
            MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            c.publish("devices/" + id + "/operations/" + opId + "/status", m);
        }

        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}

        void close() {
            MqttClient c = client;
            client = null;
            if (c == null) {
                return;
            }
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
                c.close(true);
            } catch (MqttException e) {
                // already gone
            }
        }
    }

    private JsonNode get(String path) throws Exception {
        return call("GET", path, null, 200);
    }

    private JsonNode call(String method, String path, String body, int expected) throws Exception {
        return send(method, path, "Bearer " + admin, body, expected);
    }

    private JsonNode device(String method, String path, String deviceId, String body, int expected) throws Exception {
        return send(method, path, "Bearer " + deviceId + ":" + devices.get(deviceId).token, body, expected);
    }

    private JsonNode send(String method, String path, String authorization, String body, int expected)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }
}
