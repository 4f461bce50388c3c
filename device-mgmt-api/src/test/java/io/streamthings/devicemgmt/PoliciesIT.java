package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.streamthings.devicemgmt.support.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policies end to end on embedded PostgreSQL and Kafka: merge by priority, the POLICY operation on the operations
 * topic, device compliance reports and their actions, and every refusal.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PoliciesIT {

    private static final AppUnderTest APP = AppUnderTest.create("policies_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEATURES = "[{\"code\":\"set-interval\",\"params\":{\"type\":\"object\","
            + "\"required\":[\"seconds\"],\"additionalProperties\":false,\"properties\":{\"seconds\":"
            + "{\"type\":\"integer\",\"minimum\":1,\"maximum\":3600}}}},"
            + "{\"code\":\"buzz\",\"params\":{\"type\":\"object\",\"properties\":{\"volume\":{\"type\":\"integer\","
            + "\"minimum\":0,\"maximum\":10}}}},{\"code\":\"reboot\"}]";

    private static Api api;
    private static String admin;
    private static final Map<String, String> TOKENS = new HashMap<>();

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
    }

    @Test
    void shouldMergePoliciesByPriorityPushThemAndSummariseCompliance() {
        type("pol-thermo");
        group("pol-floor-1");
        enroll("pol-t1", "pol-thermo", "pol-floor-1");
        enroll("pol-t2", "pol-thermo", "pol-floor-1");
        enroll("pol-t3", "pol-thermo", null);

        JsonNode site = api.post("/api/v1/policies", admin, policy("pol-site", "pol-thermo", 10, "WARN",
                "{\"set-interval\":{\"seconds\":60},\"buzz\":{\"volume\":3}}",
                "{\"deviceTypes\":[\"pol-thermo\"]}")).assertStatus(201).json();
        assertThat(site.path("version").asInt()).isEqualTo(1);
        api.post("/api/v1/policies", admin, policy("pol-floor", "pol-thermo", 20, "ENFORCE",
                "{\"set-interval\":{\"seconds\":600}}", "{\"groups\":[\"pol-floor-1\"]}")).assertStatus(201);

        JsonNode t1 = api.get("/api/v1/devices/pol-t1/effective-policy", admin).assertStatus(200).json();
        assertThat(t1.path("version").asInt()).isEqualTo(2);
        assertThat(t1.at("/features/set-interval/policyId").asText()).isEqualTo("pol-floor");
        assertThat(t1.at("/features/set-interval/params/seconds").asInt()).isEqualTo(600);
        assertThat(t1.at("/features/buzz/policyId").asText()).isEqualTo("pol-site");
        assertThat(t1.at("/features/buzz/compliance").asText()).isEqualTo("pending");
        JsonNode t3 = api.get("/api/v1/devices/pol-t3/effective-policy", admin).assertStatus(200).json();
        assertThat(t3.path("version").asInt()).isEqualTo(1);
        assertThat(t3.at("/features/set-interval/params/seconds").asInt()).isEqualTo(60);

        // The POLICY operation that carries version 2 to pol-t1, on the operations topic.
        OperationMessage op = awaitOperation("pol-t1", p -> p.at("/params/version").asInt() == 2);
        JsonNode payload = read(op.payloadJson());
        assertThat(payload.path("kind").asText()).isEqualTo("POLICY");
        assertThat(payload.at("/params/features/set-interval/seconds").asInt()).isEqualTo(600);
        assertThat(payload.at("/params/features/buzz/volume").asInt()).isEqualTo(3);
        assertThat(op.operationId()).isEqualTo(t1.path("operationId").asText());

        // pol-t1: set-interval (pol-floor) complies, buzz (pol-site, WARN) does not: an alert.
        JsonNode reported = api.put("/api/v1/device/policy/compliance", device("pol-t1"),
                "{\"version\":2,\"features\":{\"set-interval\":\"compliant\",\"buzz\":\"non-compliant\"}}")
                .assertStatus(200).json();
        assertThat(reported.at("/features/buzz/compliance").asText()).isEqualTo("non-compliant");
        await().atMost(WAIT).until(() -> api.get("/api/v1/alerts?rule=policy:pol-site", admin).json()
                .path("items").findValuesAsText("deviceId").contains("pol-t1"));

        JsonNode siteSummary = api.get("/api/v1/policies/pol-site/compliance", admin).assertStatus(200).json();
        assertThat(siteSummary.path("devices").asLong()).isEqualTo(3);
        assertThat(siteSummary.path("nonCompliant").asLong()).isEqualTo(1);
        assertThat(siteSummary.path("pending").asLong()).isEqualTo(2);
        assertThat(siteSummary.at("/nonCompliantDevices/0/deviceId").asText()).isEqualTo("pol-t1");
        assertThat(siteSummary.at("/nonCompliantDevices/0/features/0").asText()).isEqualTo("buzz");
        JsonNode floorSummary = api.get("/api/v1/policies/pol-floor/compliance", admin).json();
        assertThat(floorSummary.path("devices").asLong()).isEqualTo(2);
        assertThat(floorSummary.path("compliant").asLong()).isEqualTo(1);
        assertThat(floorSummary.path("pending").asLong()).isEqualTo(1);

        // pol-t2 fails set-interval of pol-floor (ENFORCE): its effective policy is pushed again.
        String before = api.get("/api/v1/devices/pol-t2/effective-policy", admin).json().path("operationId").asText();
        api.put("/api/v1/device/policy/compliance", device("pol-t2"),
                "{\"features\":{\"set-interval\":\"non-compliant\"}}").assertStatus(200);
        JsonNode t2 = api.get("/api/v1/devices/pol-t2/effective-policy", admin).json();
        assertThat(t2.path("operationId").asText()).isNotEqualTo(before);
        awaitOperation("pol-t2", p -> true, t2.path("operationId").asText());

        // Enforcement stops after a few re-pushes of one version: a device that always refuses is not flooded.
        for (int i = 0; i < 2; i++) {
            api.put("/api/v1/device/policy/compliance", device("pol-t2"),
                    "{\"features\":{\"set-interval\":\"non-compliant\"}}").assertStatus(200);
        }
        String third = effective("pol-t2").path("operationId").asText();
        api.put("/api/v1/device/policy/compliance", device("pol-t2"),
                "{\"features\":{\"set-interval\":\"non-compliant\"}}").assertStatus(200);
        assertThat(effective("pol-t2").path("operationId").asText()).isEqualTo(third);

        // Compliance over the POLICY operation's own status report: COMPLETED with a compliance map.
        String t3Operation = t3.path("operationId").asText();
        api.put("/api/v1/device/operations/" + t3Operation, device("pol-t3"),
                "{\"status\":\"COMPLETED\",\"response\":{\"compliance\":{\"set-interval\":\"compliant\","
                        + "\"buzz\":\"non-compliant\"}}}").assertStatus(200);
        await().atMost(WAIT).until(() -> "non-compliant".equals(effective("pol-t3").at("/features/buzz/compliance")
                .asText()));
        assertThat(effective("pol-t3").at("/features/set-interval/compliance").asText()).isEqualTo("compliant");
        assertThat(api.get("/api/v1/policies/pol-site/compliance", admin).json().path("nonCompliant").asLong())
                .isEqualTo(2);

        // A device reads its own effective policy; a stale or unknown report is refused.
        assertThat(api.get("/api/v1/device/policy", device("pol-t3")).assertStatus(200).json()
                .at("/features/buzz/params/volume").asInt()).isEqualTo(3);
        api.put("/api/v1/device/policy/compliance", device("pol-t1"),
                "{\"version\":1,\"features\":{\"buzz\":\"compliant\"}}").assertError(409);
        api.put("/api/v1/device/policy/compliance", device("pol-t1"),
                "{\"features\":{\"reboot\":\"compliant\"}}").assertError(422);
        api.put("/api/v1/device/policy/compliance", device("pol-t1"), "{\"features\":{\"buzz\":\"maybe\"}}")
                .assertError(400);

        JsonNode log = api.get("/api/v1/activities?from=-1h&to=now&limit=1000", admin).json();
        assertThat(log.path("items").findValuesAsText("action"))
                .contains("policy.create", "policy.compliance", "policy.warn", "policy.enforce",
                        "policy.enforce.stopped");
    }

    @Test
    void shouldPushWhenPoliciesChangeAndDevicesAreEnrolledOrMoved() {
        type("pol-lamp");
        group("pol-hall");
        enroll("pol-l1", "pol-lamp", null);
        api.post("/api/v1/policies", admin, policy("pol-lamp-base", "pol-lamp", 1, "MONITOR",
                "{\"buzz\":{\"volume\":1}}", "{\"users\":[\"admin\"]}")).assertStatus(201);
        assertThat(api.get("/api/v1/devices/pol-l1/effective-policy", admin).json().path("version").asInt())
                .isEqualTo(1);

        // Enrolled: it gets the policy at once.
        enroll("pol-l2", "pol-lamp", null);
        assertThat(effective("pol-l2").at("/features/buzz/params/volume").asInt()).isEqualTo(1);
        awaitOperation("pol-l2", p -> p.at("/params/version").asInt() == 1);
        Api.Reply bulk = api.post("/api/v1/devices/bulk", admin,
                "[{\"id\":\"pol-l3\",\"name\":\"l\",\"type\":\"pol-lamp\"}]");
        assertThat(bulk.status()).as(bulk.body()).isBetween(200, 299);
        assertThat(effective("pol-l3").at("/features/buzz/params/volume").asInt()).isEqualTo(1);

        // Moved into a group with a stronger policy (assigned by role): pushed again.
        api.post("/api/v1/policies", admin, policy("pol-hall-loud", "pol-lamp", 5, "MONITOR",
                "{\"buzz\":{\"volume\":9}}", "{\"groups\":[\"pol-hall\"]}")).assertStatus(201);
        assertThat(effective("pol-l2").path("version").asInt()).isEqualTo(1);
        api.post("/api/v1/groups/pol-hall/devices/pol-l2", admin, "").assertStatus(200);
        JsonNode moved = effective("pol-l2");
        assertThat(moved.path("version").asInt()).isEqualTo(2);
        assertThat(moved.at("/features/buzz/params/volume").asInt()).isEqualTo(9);
        awaitOperation("pol-l2", p -> p.at("/params/features/buzz/volume").asInt() == 9);

        // Edited: only devices whose effective policy changes are pushed.
        api.put("/api/v1/policies/pol-hall-loud", admin, policy(null, "pol-lamp", 5, "MONITOR",
                "{\"buzz\":{\"volume\":8}}", "{\"groups\":[\"pol-hall\"],\"roles\":[\"admin\"]}")).assertStatus(200);
        assertThat(effective("pol-l2").path("version").asInt()).isEqualTo(3);
        assertThat(effective("pol-l1").at("/features/buzz/params/volume").asInt()).isEqualTo(8);
        api.put("/api/v1/policies/pol-hall-loud", admin, policy(null, "pol-lamp", 5, "MONITOR",
                "{\"buzz\":{\"volume\":8}}", "{\"groups\":[\"pol-hall\"],\"roles\":[\"admin\"]}")).assertStatus(200);
        assertThat(effective("pol-l2").path("version").asInt()).isEqualTo(3);

        // Unassigned and deleted: back to the base policy.
        api.delete("/api/v1/policies/pol-hall-loud", admin).assertStatus(204);
        assertThat(effective("pol-l2").at("/features/buzz/params/volume").asInt()).isEqualTo(1);
        api.get("/api/v1/policies/pol-hall-loud", admin).assertError(404);
        assertThat(api.get("/api/v1/policies?deviceType=pol-lamp", admin).json().path("total").asLong())
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseEqualPrioritiesOnOneFeatureOfOneDevice() {
        type("pol-valve");
        group("pol-line-a");
        group("pol-line-b");
        enroll("pol-v1", "pol-valve", "pol-line-a");
        enroll("pol-v2", "pol-valve", null);
        api.post("/api/v1/policies", admin, policy("pol-valve-all", "pol-valve", 10, "ENFORCE",
                "{\"set-interval\":{\"seconds\":30}}", "{\"deviceTypes\":[\"pol-valve\"]}")).assertStatus(201);

        Api.Reply clash = api.post("/api/v1/policies", admin, policy("pol-valve-a", "pol-valve", 10, "ENFORCE",
                "{\"set-interval\":{\"seconds\":5}}", "{\"groups\":[\"pol-line-a\"]}")).assertError(409);
        assertThat(clash.json().path("message").asText()).contains("pol-v1", "set-interval");
        api.get("/api/v1/policies/pol-valve-a", admin).assertError(404);
        // Same priority on another feature is no conflict.
        api.post("/api/v1/policies", admin, policy("pol-valve-a", "pol-valve", 10, "ENFORCE",
                "{\"buzz\":{\"volume\":2}}", "{\"groups\":[\"pol-line-a\"]}")).assertStatus(201);
        // Nor on a group without devices of the type; moving a device there is then refused.
        api.post("/api/v1/policies", admin, policy("pol-valve-b", "pol-valve", 10, "ENFORCE",
                "{\"set-interval\":{\"seconds\":7}}", "{\"groups\":[\"pol-line-b\"]}")).assertStatus(201);
        api.post("/api/v1/groups/pol-line-b/devices/pol-v2", admin, "").assertError(409);
        assertThat(api.get("/api/v1/groups/pol-line-b", admin).json().path("deviceCount").asLong()).isZero();
        api.post("/api/v1/devices", admin, "{\"id\":\"pol-v3\",\"name\":\"v\",\"type\":\"pol-valve\","
                + "\"groups\":[\"pol-line-b\"]}").assertError(409);
        api.get("/api/v1/devices/pol-v3", admin).assertError(404);
        // Raising a priority to meet another on a shared feature is refused too.
        api.put("/api/v1/policies/pol-valve-a", admin, policy(null, "pol-valve", 10, "ENFORCE",
                "{\"buzz\":{\"volume\":2},\"set-interval\":{\"seconds\":5}}", "{\"groups\":[\"pol-line-a\"]}"))
                .assertError(409);
        assertThat(effective("pol-v1").at("/features/set-interval/params/seconds").asInt()).isEqualTo(30);
    }

    @Test
    void shouldRefuseParamsThatBreakTheFeatureSchema() {
        type("pol-fan");
        Api.Reply bad = api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE",
                "{\"set-interval\":{\"seconds\":\"often\"}}", null)).assertError(422);
        assertThat(bad.json().path("message").asText()).contains("features.set-interval.seconds");
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE",
                "{\"set-interval\":{\"seconds\":0}}", null)).assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE",
                "{\"set-interval\":{}}", null)).assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE",
                "{\"spin\":{}}", null)).assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-ghost", 1, "ENFORCE", "{}", null))
                .assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE", "{}",
                "{\"deviceTypes\":[\"pol-thermo\"]}")).assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE", "{}",
                "{\"roles\":[\"ghost\"]}")).assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE", "{}",
                "{\"users\":[\"ghost\"]}")).assertError(422);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "LOUDLY", "{}", null)).assertError(400);
        api.post("/api/v1/policies", admin, "{\"name\":\"no priority\",\"deviceType\":\"pol-fan\",\"features\":{}}")
                .assertError(400);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 1, "ENFORCE", "{}", null))
                .assertStatus(201);
        api.post("/api/v1/policies", admin, policy("pol-fan-1", "pol-fan", 2, "ENFORCE", "{}", null))
                .assertError(409);
        api.put("/api/v1/policies/pol-ghost", admin, policy(null, "pol-fan", 1, "ENFORCE", "{}", null))
                .assertError(404);
    }

    @Test
    void shouldKeepOtherTenantsDevicesGroupsAndPoliciesApart() {
        type("pol-meter");
        group("pol-meters");
        enroll("pol-m1", "pol-meter", "pol-meters");
        api.post("/api/v1/policies", admin, policy("pol-meter-p", "pol-meter", 1, "ENFORCE", "{}",
                "{\"groups\":[\"pol-meters\"]}")).assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"pol-ted\",\"password\":\"ted-password\","
                + "\"roles\":[\"admin\"],\"tenant\":\"pol-t2\"}").assertStatus(201);
        String ted = api.login("pol-ted", "ted-password");
        api.post("/api/v1/device-types", ted, "{\"name\":\"pol-meter\",\"features\":" + FEATURES + "}")
                .assertStatus(201);

        api.post("/api/v1/policies", ted, policy("pol-ted-p", "pol-meter", 1, "ENFORCE", "{}",
                "{\"groups\":[\"pol-meters\"]}")).assertError(422);
        api.get("/api/v1/devices/pol-m1/effective-policy", ted).assertError(404);
        api.get("/api/v1/policies/pol-meter-p", ted).assertError(404);
        api.get("/api/v1/policies/pol-meter-p/compliance", ted).assertError(404);
        api.put("/api/v1/policies/pol-meter-p", ted, policy(null, "pol-meter", 1, "ENFORCE", "{}", null))
                .assertError(404);
        api.delete("/api/v1/policies/pol-meter-p", ted).assertError(404);
        assertThat(api.get("/api/v1/policies", ted).json().path("total").asLong()).isZero();
        // A device's token names its tenant: the same id in another tenant does not authenticate.
        api.get("/api/v1/device/policy", "pol-m1@pol-t2:" + TOKENS.get("pol-m1")).assertError(401);
    }

    @Test
    void shouldRefuseCallersWithoutTheScopeOrBeyondTheirDevices() {
        type("pol-pump");
        group("pol-shared");
        enroll("pol-p1", "pol-pump", "pol-shared");
        enroll("pol-p2", "pol-pump", null);
        api.post("/api/v1/roles", admin, "{\"name\":\"pol-viewer\",\"scopes\":[\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"pol-operator\",\"scopes\":[\"policy:manage\","
                + "\"device:view\"]}").assertStatus(201);
        api.put("/api/v1/groups/pol-shared/roles", admin, "{\"roles\":[\"pol-operator\"]}").assertStatus(200);
        api.post("/api/v1/users", admin, "{\"username\":\"pol-vic\",\"password\":\"vic-password\","
                + "\"roles\":[\"pol-viewer\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"pol-olga\",\"password\":\"olga-password\","
                + "\"roles\":[\"pol-operator\"]}").assertStatus(201);
        String vic = api.login("pol-vic", "vic-password");
        String olga = api.login("pol-olga", "olga-password");
        String body = policy("pol-pump-p", "pol-pump", 1, "ENFORCE", "{\"buzz\":{\"volume\":1}}",
                "{\"groups\":[\"pol-shared\"]}");

        api.post("/api/v1/policies", null, body).assertError(401);
        api.post("/api/v1/policies", vic, body).assertError(403);
        api.get("/api/v1/policies", vic).assertError(403);
        api.get("/api/v1/devices/pol-p1/effective-policy", vic).assertError(403);
        api.put("/api/v1/device/policy/compliance", null, "{\"features\":{\"buzz\":\"compliant\"}}")
                .assertError(401);
        api.put("/api/v1/device/policy/compliance", "pol-p1:not-the-token", "{\"features\":{\"buzz\":\"compliant\"}}")
                .assertError(401);

        // The operator may configure the devices shared with her, not the whole type.
        api.post("/api/v1/policies", olga, body).assertStatus(201);
        api.put("/api/v1/policies/pol-pump-p", olga, policy(null, "pol-pump", 1, "ENFORCE",
                "{\"buzz\":{\"volume\":1}}", "{\"deviceTypes\":[\"pol-pump\"]}")).assertError(403);
        assertThat(effective("pol-p2").path("features").size()).isZero();
        api.get("/api/v1/devices/pol-p1/effective-policy", olga).assertStatus(200);
        api.get("/api/v1/devices/pol-p2/effective-policy", olga).assertError(404);
    }

    // ---- helpers ----

    private static void type(String name) {
        api.post("/api/v1/device-types", admin, "{\"name\":\"" + name + "\",\"features\":" + FEATURES + "}")
                .assertStatus(201);
    }

    private static void group(String id) {
        api.post("/api/v1/groups", admin, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}").assertStatus(201);
    }

    private static void enroll(String id, String type, String group) {
        String groups = group == null ? "" : ",\"groups\":[\"" + group + "\"]";
        TOKENS.put(id, api.post("/api/v1/devices", admin, "{\"id\":\"" + id + "\",\"name\":\"" + id
                + "\",\"type\":\"" + type + "\"" + groups + "}").assertStatus(201).json().path("token").asText());
    }

    private static String device(String id) {
        return id + ":" + TOKENS.get(id);
    }

    private static JsonNode effective(String id) {
        return api.get("/api/v1/devices/" + id + "/effective-policy", admin).assertStatus(200).json();
    }

    private static String policy(String id, String type, int priority, String action, String features,
            String assignments) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",\"name\":\"" + id + "\",")
                + (id == null ? "\"name\":\"renamed-" + type + "\"," : "")
                + "\"deviceType\":\"" + type + "\",\"priority\":" + priority + ",\"action\":\"" + action
                + "\",\"features\":" + features + (assignments == null ? "" : ",\"assignments\":" + assignments) + "}";
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OperationMessage awaitOperation(String deviceId, Predicate<JsonNode> payload) {
        return awaitOperation(deviceId, payload, null);
    }

    /** The first POLICY operation for the device on the operations topic that matches, reading from the start. */
    private static OperationMessage awaitOperation(String deviceId, Predicate<JsonNode> payload, String operationId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        List<OperationMessage> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(WAIT).until(() -> c.partitionsFor(Topics.OPERATIONS.name()) != null
                    && !c.partitionsFor(Topics.OPERATIONS.name()).isEmpty());
            List<TopicPartition> parts = c.partitionsFor(Topics.OPERATIONS.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    OperationMessage op = OperationCodec.decodeOperation(r.value());
                    JsonNode body = read(op.payloadJson());
                    if (r.key().equals(Topics.deviceKey("default", deviceId)) && op.deviceId().equals(deviceId)
                            && "POLICY".equals(body.path("kind").asText()) && payload.test(body)
                            && (operationId == null || operationId.equals(op.operationId()))) {
                        found.add(op);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }
}
