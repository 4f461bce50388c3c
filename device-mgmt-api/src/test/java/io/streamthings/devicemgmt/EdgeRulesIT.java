package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.common.operation.OperationStatus;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.streamthings.devicemgmt.support.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Edge rules through the API on the real embedded PostgreSQL and Kafka: storing (validated by the rules compiler),
 * deployment to a group as EDGE_RULE operations on the {@code operations} topic in the runtime's payload form, the
 * deployment's state following {@code operation.status}, the runtimes' health from {@code edge.status} and its
 * staleness, and the refusals (scope, another tenant's device or group, a device not shared with the caller).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EdgeRulesIT {

    // Stale after 3 x 5 s: long enough that a report just taken is seen fresh on a loaded machine.
    private static final AppUnderTest APP = AppUnderTest.create("edge_rules_it",
            ConfigOverride.config("edgeRules.healthIntervalMs", "5000"),
            ConfigOverride.config("edgeRules.staleAfterIntervals", "3"),
            ConfigOverride.config("operations.sweepIntervalMs", "100"));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String HOT = "@App:name('hot-edge')\n"
            + "@App:description('too hot')\n"
            + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
            + "from TelemetryStream[temperature > 90.0]\n"
            + "select deviceId, ts, temperature, 'critical' as severity\n"
            + "insert into AlertStream;\n";

    private static Api api;
    private static String admin;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"edge-box\"}").assertStatus(201);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void tearDown() {
        producer.close(Duration.ofSeconds(5));
    }

    private static void enroll(String... ids) {
        for (String id : ids) {
            api.post("/api/v1/devices", admin, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"edge-box\"}")
                    .assertStatus(201);
        }
    }

    private static void group(String id, String... devices) {
        api.post("/api/v1/groups", admin, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}").assertStatus(201);
        for (String d : devices) {
            api.post("/api/v1/groups/" + id + "/devices/" + d, admin, "").assertStatus(200);
        }
    }

    @Test
    void shouldStoreARuleAndBumpItsVersionOnlyWhenItChanges() {
        String app = HOT.replace("hot-edge", "versioned");
        JsonNode v1 = api.post("/api/v1/edge-rules", admin, "text/plain", app).assertStatus(201).json();
        assertThat(v1.path("id").asText()).isEqualTo("versioned");
        assertThat(v1.path("version").asLong()).isEqualTo(1);
        assertThat(v1.path("description").asText()).isEqualTo("too hot");
        api.post("/api/v1/edge-rules", admin, "text/plain", app).assertStatus(200);
        assertThat(api.get("/api/v1/edge-rules/versioned", admin).json().path("version").asLong()).isEqualTo(1);

        String changed = app.replace("90.0", "95.0");
        JsonNode v2 = api.post("/api/v1/edge-rules", admin, JSON.createObjectNode().put("app", changed)
                .put("name", "Versioned rule").toString()).assertStatus(200).json();
        assertThat(v2.path("version").asLong()).isEqualTo(2);
        assertThat(v2.path("name").asText()).isEqualTo("Versioned rule");
        assertThat(api.get("/api/v1/edge-rules/versioned", admin).json().path("app").asText()).contains("95.0");
        JsonNode list = api.get("/api/v1/edge-rules", admin).assertStatus(200).json();
        assertThat(list.path("items")).extracting(n -> n.path("id").asText()).contains("versioned");
        api.get("/api/v1/edge-rules/no-such-rule", admin).assertError(404);
    }

    @Test
    void shouldRefuseABrokenAppWithTheLineAndColumnAndStoreNothing() {
        String broken = HOT.replace("hot-edge", "broken-edge")
                .replace("from TelemetryStream[temperature > 90.0]", "from TelemetryStream[temperature >]");
        Api.Reply reply = api.post("/api/v1/edge-rules", admin, "text/plain", broken).assertError(400);
        assertThat(reply.json().path("line").asInt()).isEqualTo(4);
        assertThat(reply.json().path("column").asInt()).isPositive();
        assertThat(reply.json().path("message").asText()).startsWith("line 4, column ");
        api.post("/api/v1/edge-rules", admin, JSON.createObjectNode().put("app", broken).toString()).assertError(400);
        api.post("/api/v1/edge-rules", admin, "{\"name\":\"no app\"}").assertError(400);
        // The platform's policy holds on the edge too: no sources or sinks.
        api.post("/api/v1/edge-rules", admin, "text/plain", HOT.replace("hot-edge", "sinky")
                .replace("insert into AlertStream;", "insert into AlertStream;\n@sink(type='log') define stream "
                        + "Out (deviceId string);")).assertError(400);
        api.get("/api/v1/edge-rules/broken-edge", admin).assertError(404);
    }

    @Test
    void shouldDeployToAGroupAndFollowTheOperationsStates() {
        enroll("edge-1", "edge-2", "edge-3");
        group("edge-g", "edge-1", "edge-2", "edge-3");
        api.post("/api/v1/edge-rules", admin, "text/plain", HOT).assertStatus(201);

        JsonNode deployed = api.post("/api/v1/edge-rules/hot-edge/deployments", admin,
                "{\"groups\":[\"edge-g\"],\"state\":\"reset\"}").assertStatus(202).json();
        assertThat(deployed.path("version").asLong()).isEqualTo(1);
        assertThat(deployed.path("rolloutId").asText()).startsWith("ro-");
        String op1 = deployed.path("operations").path("edge-1").asText();
        String op2 = deployed.path("operations").path("edge-2").asText();
        String op3 = deployed.path("operations").path("edge-3").asText();

        // What the runtime receives: kind EDGE_RULE, code = the rule id, params = version, action, state, app.
        List<OperationMessage> sent = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            sent.clear();
            sent.addAll(operationsFor(Set.of(op1, op2, op3)));
            return sent.size() == 3;
        });
        for (OperationMessage m : sent) {
            JsonNode payload = read(m.payloadJson());
            assertThat(payload.path("kind").asText()).isEqualTo("EDGE_RULE");
            assertThat(payload.path("code").asText()).isEqualTo("hot-edge");
            assertThat(payload.path("params").path("version").asLong()).isEqualTo(1);
            assertThat(payload.path("params").path("action").asText()).isEqualTo("deploy");
            assertThat(payload.path("params").path("state").asText()).isEqualTo("reset");
            assertThat(payload.path("params").path("app").asText()).isEqualTo(HOT);
        }
        assertThat(sent).extracting(OperationMessage::deviceId).containsExactlyInAnyOrder("edge-1", "edge-2",
                "edge-3");

        Map<String, JsonNode> before = deployments("hot-edge");
        assertThat(before.keySet()).containsExactly("edge-1", "edge-2", "edge-3");
        assertThat(before.get("edge-1").path("state").asText()).isEqualTo("IN_PROGRESS");
        assertThat(before.get("edge-1").path("stateMode").asText()).isEqualTo("reset");
        assertThat(before.get("edge-1").path("runningVersion").isNull()).isTrue();

        // As ingest forwards the runtime's reports.
        send(Topics.OPERATION_STATUS.name(), "default/edge-1", OperationCodec.encode(new OperationStatus("default",
                "edge-1", op1, "COMPLETED", 1, "{\"ruleId\":\"hot-edge\",\"version\":1,\"runningVersion\":1}")));
        send(Topics.OPERATION_STATUS.name(), "default/edge-2", OperationCodec.encode(new OperationStatus("default",
                "edge-2", op2, "ERROR", 1, "{\"ruleId\":\"hot-edge\",\"version\":1,\"runningVersion\":0,"
                        + "\"message\":\"line 3, column 17: out of memory for the window\",\"line\":3,"
                        + "\"column\":17}")));
        await().atMost(WAIT).until(() -> {
            Map<String, JsonNode> d = deployments("hot-edge");
            return d.get("edge-1").path("state").asText().equals("RUNNING")
                    && d.get("edge-2").path("state").asText().equals("FAILED");
        });
        Map<String, JsonNode> after = deployments("hot-edge");
        assertThat(after.get("edge-1").path("runningVersion").asLong()).isEqualTo(1);
        assertThat(after.get("edge-1").path("operationStatus").asText()).isEqualTo("COMPLETED");
        assertThat(after.get("edge-2").path("reason").asText()).isEqualTo(
                "line 3, column 17: out of memory for the window");
        assertThat(after.get("edge-2").path("runningVersion").isNull()).isTrue();
        assertThat(after.get("edge-3").path("state").asText()).isEqualTo("IN_PROGRESS");

        // A new version to one device: in progress there, the old one still confirmed running.
        api.post("/api/v1/edge-rules", admin, "text/plain", HOT.replace("90.0", "80.0")).assertStatus(200);
        JsonNode v2 = api.post("/api/v1/edge-rules/hot-edge/deployments", admin, "{\"devices\":[\"edge-1\"]}")
                .assertStatus(202).json();
        assertThat(v2.path("version").asLong()).isEqualTo(2);
        assertThat(v2.path("state").asText()).isEqualTo("carry");
        JsonNode edge1 = deployments("hot-edge").get("edge-1");
        assertThat(edge1.path("version").asLong()).isEqualTo(2);
        assertThat(edge1.path("state").asText()).isEqualTo("IN_PROGRESS");
        assertThat(edge1.path("stateMode").asText()).isEqualTo("carry");
        assertThat(edge1.path("runningVersion").asLong()).isEqualTo(1);

        JsonNode log = api.get("/api/v1/activities?from=-1h&limit=1000", admin).assertStatus(200).json();
        List<String> entries = new ArrayList<>();
        for (JsonNode e : log.path("items")) {
            if ("hot-edge".equals(e.path("targetId").asText())) {
                entries.add(e.path("action").asText() + ":" + e.path("details").path("version").asText(""));
            }
        }
        assertThat(entries).contains("edge-rule.create:1", "edge-rule.update:2", "edge-rule.deploy:1",
                "edge-rule.deploy:2");
    }

    @Test
    void shouldNotStayInProgressPastTheOperationsTimeout() {
        enroll("slow-edge");
        api.post("/api/v1/edge-rules", admin, "text/plain", HOT.replace("hot-edge", "slow")).assertStatus(201);
        String op = api.post("/api/v1/edge-rules/slow/deployments", admin,
                "{\"devices\":[\"slow-edge\"],\"timeoutSeconds\":1}").assertStatus(202).json()
                .path("operations").path("slow-edge").asText();
        send(Topics.OPERATION_STATUS.name(), "default/slow-edge", OperationCodec.encode(new OperationStatus("default",
                "slow-edge", op, "DELIVERED", 1)));
        // Delivered, then silence: the sweeper ends the operation at its deadline, and the deployment with it.
        await().atMost(WAIT).until(() -> deployments("slow").get("slow-edge").path("state").asText()
                .equals("TIMED_OUT"));
        JsonNode d = deployments("slow").get("slow-edge");
        assertThat(d.path("operationStatus").asText()).isEqualTo("TIMED_OUT");
        assertThat(d.path("reason").asText()).contains("timeout");
    }

    @Test
    void shouldRefuseBadDeployments() {
        enroll("bad-dep");
        api.post("/api/v1/edge-rules", admin, "text/plain", HOT.replace("hot-edge", "refused")).assertStatus(201);
        api.post("/api/v1/edge-rules/refused/deployments", admin, "{\"devices\":[\"bad-dep\"],\"state\":\"keep\"}")
                .assertError(400);
        api.post("/api/v1/edge-rules/refused/deployments", admin, "{}").assertError(422);
        api.post("/api/v1/edge-rules/refused/deployments", admin, "{\"devices\":[\"nowhere\"]}").assertError(404);
        api.post("/api/v1/edge-rules/refused/deployments", admin, "{\"groups\":[\"no-group\"]}").assertError(404);
        api.post("/api/v1/edge-rules/no-such-rule/deployments", admin, "{\"devices\":[\"bad-dep\"]}")
                .assertError(404);
        assertThat(deployments("refused")).isEmpty();
    }

    @Test
    void shouldRefuseAnotherTenantsDevicesAndGroupsAndDevicesNotShared() {
        enroll("mine-1", "mine-2");
        group("mine-g", "mine-1");
        api.post("/api/v1/edge-rules", admin, "text/plain", HOT.replace("hot-edge", "shared")).assertStatus(201);

        api.post("/api/v1/users", admin, "{\"username\":\"edna\",\"password\":\"edna-password\",\"roles\":[\"admin\"],"
                + "\"tenant\":\"edge-t2\"}").assertStatus(201);
        String edna = api.login("edna", "edna-password");
        api.get("/api/v1/edge-rules/shared", edna).assertError(404);
        api.post("/api/v1/edge-rules/shared/deployments", edna, "{\"devices\":[\"mine-1\"]}").assertError(404);
        api.post("/api/v1/edge-rules", edna, "text/plain", HOT.replace("hot-edge", "theirs")).assertStatus(201);
        api.post("/api/v1/edge-rules/theirs/deployments", edna, "{\"devices\":[\"mine-1\"]}").assertError(404);
        api.post("/api/v1/edge-rules/theirs/deployments", edna, "{\"groups\":[\"mine-g\"]}").assertError(404);
        assertThat(api.get("/api/v1/edge-rules", edna).json().path("items")).extracting(n -> n.path("id").asText())
                .containsExactly("theirs");

        // Scope rule:manage, but no device shared with the caller.
        api.post("/api/v1/roles", admin, "{\"name\":\"edge-ops\",\"scopes\":[\"rule:manage\",\"device:view\"]}")
                .assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"eddie\",\"password\":\"eddie-password\","
                + "\"roles\":[\"edge-ops\"]}").assertStatus(201);
        String eddie = api.login("eddie", "eddie-password");
        api.post("/api/v1/edge-rules/shared/deployments", eddie, "{\"devices\":[\"mine-1\"]}").assertError(404);
        api.post("/api/v1/edge-rules/shared/deployments", eddie, "{\"groups\":[\"mine-g\"]}").assertError(404);
        api.put("/api/v1/groups/mine-g/roles", admin, "{\"roles\":[\"edge-ops\"]}").assertStatus(200);
        // One device not shared refuses the whole deployment.
        api.post("/api/v1/edge-rules/shared/deployments", eddie, "{\"devices\":[\"mine-1\",\"mine-2\"]}")
                .assertError(404);
        assertThat(deployments("shared")).isEmpty();
        api.post("/api/v1/edge-rules/shared/deployments", eddie, "{\"groups\":[\"mine-g\"]}").assertStatus(202);
        assertThat(deployments("shared").keySet()).containsExactly("mine-1");

        // Without rule:manage.
        api.post("/api/v1/roles", admin, "{\"name\":\"viewers\",\"scopes\":[\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"vera\",\"password\":\"vera-password\","
                + "\"roles\":[\"viewers\"]}").assertStatus(201);
        String vera = api.login("vera", "vera-password");
        api.post("/api/v1/edge-rules", vera, "text/plain", HOT.replace("hot-edge", "nope")).assertError(403);
        api.get("/api/v1/edge-rules", vera).assertError(403);
        api.get("/api/v1/edge-rules/shared", vera).assertError(403);
        api.post("/api/v1/edge-rules/shared/deployments", vera, "{\"devices\":[\"mine-1\"]}").assertError(403);
        api.get("/api/v1/edge-rules/shared/deployments", vera).assertError(403);
        api.get("/api/v1/edge-rules/runtimes", vera).assertError(403);
        api.get("/api/v1/edge-rules/nope", admin).assertError(404);
    }

    @Test
    void shouldShowEachRuntimesLastHealthReportAndMarkItStale() {
        enroll("healthy");
        long now = System.currentTimeMillis();
        String report = "{\"ts\":" + now + ",\"uptimeMs\":5000,\"connected\":true,"
                + "\"rules\":[{\"ruleId\":\"hot-edge\",\"name\":\"hot-edge\",\"version\":2,\"eventsIn\":100,"
                + "\"eventsSkipped\":0,\"eventsOut\":3,\"errors\":0}],"
                + "\"queue\":{\"records\":4,\"bytes\":512,\"oldestAgeMs\":1200,\"droppedAlerts\":0,"
                + "\"droppedTelemetry\":7,\"droppedBytes\":900,\"truncatedBytes\":0,\"lastSeq\":42},"
                + "\"heap\":{\"used\":12000000,\"max\":67108864}}";
        // As ingest writes it: the runtime's report wrapped with the device's identity and when it came.
        send(Topics.EDGE_STATUS.name(), "default/healthy", ("{\"tenant\":\"default\",\"deviceId\":\"healthy\","
                + "\"receivedAt\":" + now + ",\"report\":" + report + "}").getBytes(StandardCharsets.UTF_8));
        // Another tenant's runtime is not shown.
        send(Topics.EDGE_STATUS.name(), "edge-t3/healthy", ("{\"tenant\":\"edge-t3\",\"deviceId\":\"healthy\","
                + "\"receivedAt\":" + now + ",\"report\":{\"connected\":true}}").getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).until(() -> runtime("healthy") != null && !runtime("healthy").path("stale").asBoolean());
        JsonNode seen = runtime("healthy");
        assertThat(seen.path("report").path("rules").get(0).path("version").asLong()).isEqualTo(2);
        assertThat(seen.path("report").path("queue").path("records").asLong()).isEqualTo(4);
        assertThat(seen.path("report").path("queue").path("droppedTelemetry").asLong()).isEqualTo(7);
        assertThat(seen.path("report").path("heap").path("max").asLong()).isEqualTo(67108864L);
        JsonNode one = api.get("/api/v1/edge-rules/runtimes?deviceId=healthy", admin).assertStatus(200).json();
        assertThat(one).hasSize(1);
        assertThat(api.get("/api/v1/edge-rules/runtimes?deviceId=nobody", admin).json()).isEmpty();

        // No report for 3 health intervals: stale.
        await().atMost(WAIT).until(() -> runtime("healthy").path("stale").asBoolean());
    }

    private static JsonNode runtime(String deviceId) {
        JsonNode all = api.get("/api/v1/edge-rules/runtimes", admin).assertStatus(200).json();
        JsonNode found = null;
        for (JsonNode r : all) {
            if (deviceId.equals(r.path("deviceId").asText())) {
                assertThat(found).as("one entry per device").isNull();
                found = r;
            }
        }
        return found;
    }

    private static Map<String, JsonNode> deployments(String rule) {
        JsonNode list = api.get("/api/v1/edge-rules/" + rule + "/deployments", admin).assertStatus(200).json();
        Map<String, JsonNode> byDevice = new HashMap<>();
        for (JsonNode d : list) {
            byDevice.put(d.path("deviceId").asText(), d);
        }
        return new java.util.TreeMap<>(byDevice);
    }

    private static void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every record of the operations topic for these operations. */
    private static List<OperationMessage> operationsFor(Set<String> operationIds) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<OperationMessage> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(Topics.OPERATIONS.name(), Duration.ofSeconds(10));
            if (infos == null) {
                return found;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    OperationMessage m = OperationCodec.decodeOperation(r.value());
                    if (operationIds.contains(m.operationId())) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }
}
