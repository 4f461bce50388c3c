package io.streamthings.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.edge.EdgeBatch;
import io.streamthings.common.edge.EdgeBatchCodec;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.common.operation.OperationStatus;
import io.streamthings.edge.rules.EdgeRuleSpec;
import io.streamthings.edge.support.EdgeProcess;
import io.streamthings.edge.support.LinkProxy;
import io.streamthings.ingest.IngestService;
import io.streamthings.ingest.support.IngestHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edge runtimes, each a process of its own running the built jar at {@code -Xmx64m}, against the platform's MQTT
 * adapter (ingest's MQTT server on an embedded Kafka) through a link this test can cut. Rules are deployed as EDGE_RULE
 * operations on the {@code operations} topic (what the server's operations service produces), sensor data is
 * appended to each runtime's tailed file, and alerts are read from the {@code alerts} topic. The tests run in order
 * and build on each other: deploy, deliver, link down, kill -9, broken deployment, duplicates after an ingest restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeRuntimeIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "acme";
    private static final String[] DEVICES = {"edge-1", "edge-2"};
    private static final String RULE = "@App:name('edge-hot')\n"
            + "define stream TelemetryStream (deviceId string, ts long, temperature double, n double);\n"
            + "from TelemetryStream[temperature > 90.0]\n"
            + "select deviceId, ts, temperature, n, 'critical' as severity, 'too hot' as message\n"
            + "insert into AlertStream;\n";

    @TempDir
    static Path dir;

    static IngestHarness harness;
    static LinkProxy link;
    static KafkaProducer<String, byte[]> producer;
    static final Map<String, EdgeProcess> runtimes = new java.util.LinkedHashMap<>();
    static final Map<String, String> tokens = new java.util.HashMap<>();
    /** Per device, the n of every hot line written so far: the alerts expected, in order. */
    static final Map<String, List<Double>> expected = new java.util.HashMap<>();
    static final Map<String, Integer> written = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        harness = IngestHarness.start(dir.resolve("platform"), config -> { });
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        await().atMost(WAIT).until(() -> harness.service().mqttServer().operationsReady());
        link = new LinkProxy(harness.mqttPort());
        for (String device : DEVICES) {
            String token = harness.credentials().enroll(TENANT, device, "edge-gateway");
            await().atMost(WAIT).until(() -> harness.directory().authenticate(TENANT, device, token).admitted());
            tokens.put(device, token);
            expected.put(device, new ArrayList<>());
            written.put(device, 0);
            Files.createFile(sensorFile(device));
            runtimes.put(device, edge(device).start());
        }
    }

    static EdgeProcess edge(String device) {
        return new EdgeProcess(dir.resolve(device), "--server", "tcp://127.0.0.1:" + link.port(),
                "--device-id", device, "--tenant", TENANT, "--token", tokens.get(device),
                "--source", "file:" + sensorFile(device), "--health-interval-ms", "1000",
                "--max-batch-records", "5", "--publish-timeout-ms", "5000");
    }

    static Path sensorFile(String device) {
        return dir.resolve(device + "-sensor.jsonl");
    }

    @AfterAll
    static void stop() throws Exception {
        for (EdgeProcess p : runtimes.values()) {
            p.close();
        }
        if (link != null) {
            link.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    /** Appends lines to a device's sensor file; every other one is hot (an alert expected, carrying its n). */
    static void feed(String device, int lines) throws Exception {
        StringBuilder b = new StringBuilder();
        int start = written.get(device);
        for (int i = start; i < start + lines; i++) {
            boolean hot = i % 2 == 0;
            b.append("{\"ts\":").append(System.currentTimeMillis()).append(",\"metrics\":{\"temperature\":")
                    .append(hot ? 95.5 : 20.0).append(",\"n\":").append(i).append("}}\n");
            if (hot) {
                expected.get(device).add((double) i);
            }
        }
        written.put(device, start + lines);
        Files.writeString(sensorFile(device), b, StandardOpenOption.APPEND);
    }

    /** The n of every edge alert of the device on the alerts topic, in topic order (one partition per device). */
    static List<Double> alertsOf(String device) {
        return harness.reader().readAll(Topics.ALERTS.name()).stream().map(r -> AlertCodec.decode(r.value()))
                .filter(a -> a.source().equals("edge") && device.equals(a.deviceId()))
                .map(a -> ((Number) a.values().get("n")).doubleValue()).toList();
    }

    static List<OperationStatus> statuses(String operationId) {
        return harness.reader().readAll(Topics.OPERATION_STATUS.name()).stream()
                .map(r -> OperationCodec.decodeStatus(r.value())).filter(s -> s.operationId().equals(operationId))
                .toList();
    }

    static OperationStatus awaitFinalStatus(String operationId) {
        await().atMost(WAIT).until(() -> statuses(operationId).stream()
                .anyMatch(s -> !s.status().equals(OperationStatus.DELIVERED)));
        return statuses(operationId).stream().filter(s -> !s.status().equals(OperationStatus.DELIVERED))
                .findFirst().orElseThrow();
    }

    /**
     * Puts an EDGE_RULE operation on the {@code operations} topic in the form the operations service gives every
     * operation ({@code code} the rule id, the rest in {@code params}).
     */
    static void operation(String device, String operationId, EdgeRuleSpec spec) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode payload = JSON.createObjectNode();
        payload.put("operationId", operationId);
        payload.put("kind", "EDGE_RULE");
        payload.put("code", spec.ruleId());
        com.fasterxml.jackson.databind.node.ObjectNode params = payload.putObject("params");
        params.put("version", spec.version());
        params.put("action", spec.action() == EdgeRuleSpec.Action.DEPLOY ? "deploy" : "remove");
        params.put("state", spec.carryState() ? "carry" : "reset");
        params.put("app", spec.app());
        payload.put("oneWay", false);
        payload.put("timeoutSeconds", 300);
        OperationMessage op = new OperationMessage(TENANT, device, operationId, payload.toString());
        producer.send(new ProducerRecord<>(Topics.OPERATIONS.name(), Topics.deviceKey(TENANT, device),
                OperationCodec.encode(op))).get();
    }

    static List<JsonNode> healthOf(String device) {
        return harness.reader().readAll(Topics.EDGE_STATUS.name()).stream()
                .filter(r -> r.key().equals(Topics.deviceKey(TENANT, device))).map(r -> {
                    try {
                        return JSON.readTree(r.value());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    @Test
    @Order(1)
    void shouldDeployARuleToBothRuntimesAndHaveBothAcknowledgeIt() throws Exception {
        for (String device : DEVICES) {
            // connected and subscribed once its health reports arrive
            await().atMost(WAIT).until(() -> !healthOf(device).isEmpty());
        }
        for (String device : DEVICES) {
            operation(device, "deploy-1-" + device, new EdgeRuleSpec("hot", 1, EdgeRuleSpec.Action.DEPLOY, false,
                    RULE));
        }
        for (String device : DEVICES) {
            OperationStatus status = awaitFinalStatus("deploy-1-" + device);
            assertThat(status.status()).isEqualTo("COMPLETED");
            assertThat(status.deviceId()).isEqualTo(device);
            assertThat(JSON.readTree(status.responseJson()).path("runningVersion").asLong()).isEqualTo(1);
            await().atMost(WAIT).until(() -> healthOf(device).stream().anyMatch(h ->
                    h.path("report").path("rules").path(0).path("version").asLong() == 1));
        }
        List<JsonNode> reports = healthOf(DEVICES[0]);
        JsonNode health = reports.get(reports.size() - 1);
        assertThat(health.path("tenant").asText()).isEqualTo(TENANT);
        assertThat(health.path("report").path("heap").path("maxBytes").asLong()).isLessThanOrEqualTo(64L << 20);
        assertThat(health.path("report").path("queue").has("droppedAlerts")).isTrue();
    }

    @Test
    @Order(2)
    void shouldPublishWhatTheRuleEmitsAndNotTheRawReadings() throws Exception {
        for (String device : DEVICES) {
            feed(device, 20);
        }
        for (String device : DEVICES) {
            await().atMost(WAIT).until(() -> alertsOf(device).size() >= expected.get(device).size());
            assertThat(alertsOf(device)).containsExactlyElementsOf(expected.get(device));
        }
        AlertEvent one = harness.reader().readAll(Topics.ALERTS.name()).stream().map(r -> AlertCodec.decode(r.value()))
                .filter(a -> "edge".equals(a.source())).findFirst().orElseThrow();
        assertThat(one.tenant()).isEqualTo(TENANT);
        assertThat(one.rule()).isEqualTo("edge-hot");
        assertThat(one.severity()).isEqualTo("critical");
        assertThat(one.message()).isEqualTo("too hot");
        // the readings stayed on the device: nothing of theirs in telemetry.raw
        assertThat(harness.reader().telemetryOf(DEVICES[0])).isEmpty();
    }

    @Test
    @Order(3)
    void shouldDeliverEveryAlertBufferedWhileTheLinkWasDownOnceAndInOrder() throws Exception {
        link.cut();
        for (String device : DEVICES) {
            feed(device, 40);
        }
        for (String device : DEVICES) {
            // the runtime took the lines and queued their alerts on disk while the link was down
            double last = expected.get(device).get(expected.get(device).size() - 1);
            await().atMost(WAIT).until(() -> queueFilesContain(device, "\"n\":" + last));
        }
        int before = alertsOf(DEVICES[0]).size();
        assertThat(before).isLessThan(expected.get(DEVICES[0]).size());
        link.restore();
        for (String device : DEVICES) {
            await().atMost(WAIT).until(() -> alertsOf(device).size() >= expected.get(device).size());
            assertThat(alertsOf(device)).containsExactlyElementsOf(expected.get(device));
        }
    }

    static boolean queueFilesContain(String device, String text) throws Exception {
        Path queue = dir.resolve(device).resolve("queue");
        try (Stream<Path> files = Files.list(queue)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    @Order(4)
    void shouldLoseNothingAndDoubleNothingWhenARuntimeIsKilledMidStream() throws Exception {
        String device = DEVICES[0];
        int before = alertsOf(device).size();
        feed(device, 400);
        // mid-stream: some of the new alerts are in, most are not yet
        await().atMost(WAIT).until(() -> alertsOf(device).size() > before + 10);
        runtimes.get(device).kill();
        feed(device, 100);
        runtimes.put(device, edge(device).start());
        await().atMost(WAIT).until(() -> alertsOf(device).size() >= expected.get(device).size());
        assertThat(alertsOf(device)).containsExactlyElementsOf(expected.get(device));
        // the other runtime was not disturbed
        feed(DEVICES[1], 10);
        await().atMost(WAIT).until(() -> alertsOf(DEVICES[1]).size() >= expected.get(DEVICES[1]).size());
        assertThat(alertsOf(DEVICES[1])).containsExactlyElementsOf(expected.get(DEVICES[1]));
    }

    @Test
    @Order(5)
    void shouldRollABrokenDeploymentBackAndSayWhere() throws Exception {
        String device = DEVICES[1];
        String broken = RULE.replace("temperature > 90.0", "temprature > 90.0");
        operation(device, "deploy-2-broken", new EdgeRuleSpec("hot", 2, EdgeRuleSpec.Action.DEPLOY, false, broken));
        OperationStatus status = awaitFinalStatus("deploy-2-broken");
        assertThat(status.status()).isEqualTo("ERROR");
        JsonNode response = JSON.readTree(status.responseJson());
        assertThat(response.path("line").asInt()).isEqualTo(3);
        assertThat(response.path("column").asInt()).isPositive();
        assertThat(response.path("message").asText()).contains("temprature");
        assertThat(response.path("runningVersion").asLong()).isEqualTo(1);
        // version 1 runs on
        feed(device, 4);
        await().atMost(WAIT).until(() -> alertsOf(device).size() >= expected.get(device).size());
        assertThat(alertsOf(device)).containsExactlyElementsOf(expected.get(device));
    }

    @Test
    @Order(6)
    void shouldDropARecordSentAgainAlsoAfterIngestRestarts() throws Exception {
        String device = "edge-raw";
        String token = harness.credentials().enroll(TENANT, device, "edge-gateway");
        await().atMost(WAIT).until(() -> harness.directory().authenticate(TENANT, device, token).admitted());
        String epoch = "raw-epoch";
        MqttClient client = connect(harness.mqttUri(), device, token);
        client.publish("devices/" + device + "/edge/records", batch(epoch, 1, 2), 1, false);
        client.publish("devices/" + device + "/edge/records", batch(epoch, 1, 2, 3), 1, false);
        client.disconnect();
        await().atMost(WAIT).until(() -> alertsOf(device).size() >= 3);
        assertThat(alertsOf(device)).containsExactly(1.0, 2.0, 3.0);

        // a second ingest knows nothing in memory: it reads the sequences back from Kafka
        IngestService restarted = new IngestService(harness.config(), new MetricRegistry(), null);
        restarted.start();
        try {
            MqttClient again = connect("tcp://127.0.0.1:" + restarted.mqttServer().port(), device, token);
            again.publish("devices/" + device + "/edge/records", batch(epoch, 3, 4), 1, false);
            again.disconnect();
            await().atMost(WAIT).until(() -> alertsOf(device).size() >= 4);
            assertThat(alertsOf(device)).containsExactly(1.0, 2.0, 3.0, 4.0);
            assertThat(restarted.edge().duplicates()).isEqualTo(1);
            // a new epoch (the device's queue wiped) starts its sequences afresh
            MqttClient fresh = connect("tcp://127.0.0.1:" + restarted.mqttServer().port(), device, token);
            fresh.publish("devices/" + device + "/edge/records", batch("new-epoch", 1), 1, false);
            fresh.disconnect();
            await().atMost(WAIT).until(() -> alertsOf(device).size() >= 5);
        } finally {
            restarted.stop();
        }
    }

    private static MqttClient connect(String uri, String device, String token) throws Exception {
        MqttClient client = new MqttClient(uri, device + "-raw-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(device + "@" + TENANT);
        options.setPassword(token.toCharArray());
        client.connect(options);
        return client;
    }

    private static byte[] batch(String epoch, long... seqs) {
        List<EdgeBatch.Entry> entries = new ArrayList<>();
        for (long seq : seqs) {
            AlertEvent a = new AlertEvent("ignored", "edge", "raw-rule", "ignored", "warning", "m", 1_000 + seq, 0,
                    Map.of("n", (double) seq));
            entries.add(new EdgeBatch.Entry(seq, EdgeBatch.Kind.ALERT, AlertCodec.encode(a)));
        }
        return EdgeBatchCodec.encode(new EdgeBatch(epoch, entries));
    }
}
