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
import io.streamthings.devicemgmt.operations.OperationKind;
import io.streamthings.devicemgmt.operations.OperationListener;
import io.streamthings.devicemgmt.operations.OperationService;
import io.streamthings.devicemgmt.operations.OperationSpec;
import io.streamthings.devicemgmt.operations.OperationState;
import io.streamthings.devicemgmt.operations.Submitted;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Operations through the API on the real embedded PostgreSQL and Kafka: creation and its refusals, the device side over
 * HTTP, the state machine's refusals, rollouts (batches, abort, cancel), the sweeper's deadlines, supersession, the
 * Kafka topics (operations out, operation.status in, online events), the activity log and the Java API.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OperationsIT {

    private static final AppUnderTest APP = AppUnderTest.create("operations_it",
            ConfigOverride.config("operations.sweepIntervalMs", "100"));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String LAMP = "{\"name\":\"lamp\",\"features\":["
            + "{\"code\":\"reboot\",\"params\":{\"type\":\"object\",\"properties\":{\"delaySeconds\":"
            + "{\"type\":\"integer\",\"minimum\":0}},\"additionalProperties\":false}},"
            + "{\"code\":\"set-interval\",\"params\":{\"type\":\"object\",\"required\":[\"seconds\"],"
            + "\"properties\":{\"seconds\":{\"type\":\"integer\",\"minimum\":1}}}},"
            + "{\"code\":\"buzz\"}]}";

    private static Api api;
    private static String admin;
    private static final Map<String, String> TOKENS = new HashMap<>();
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, LAMP).assertStatus(201);
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
            JsonNode d = api.post("/api/v1/devices", admin, "{\"id\":\"" + id + "\",\"name\":\"" + id
                    + "\",\"type\":\"lamp\"}").assertStatus(201).json();
            TOKENS.put(id, d.path("token").asText());
        }
    }

    private static void group(String id, String... devices) {
        api.post("/api/v1/groups", admin, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}").assertStatus(201);
        for (String d : devices) {
            api.post("/api/v1/groups/" + id + "/devices/" + d, admin, "").assertStatus(200);
        }
    }

    private static String device(String id) {
        return id + ":" + TOKENS.get(id);
    }

    private static JsonNode op(String id) {
        return api.get("/api/v1/operations/" + id, admin).assertStatus(200).json();
    }

    private static String status(String id) {
        return op(id).path("status").asText();
    }

    @Test
    void shouldRefuseAnUnknownFeatureCode() {
        enroll("bad-code");
        Api.Reply r = api.post("/api/v1/devices/bad-code/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"self-destruct\"}").assertError(422);
        assertThat(r.json().path("message").asText()).contains("no feature 'self-destruct'");
        assertThat(api.get("/api/v1/devices/bad-code/operations", admin).json().path("total").asLong()).isZero();
    }

    @Test
    void shouldRefuseParamsThatBreakTheFeaturesSchema() {
        enroll("bad-params");
        Api.Reply wrongType = api.post("/api/v1/devices/bad-params/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"reboot\",\"params\":{\"delaySeconds\":\"soon\"}}").assertError(422);
        assertThat(wrongType.json().path("message").asText()).contains("delaySeconds");
        api.post("/api/v1/devices/bad-params/operations", admin,
                "{\"kind\":\"CONFIG\",\"code\":\"set-interval\",\"params\":{}}").assertError(422);
        api.post("/api/v1/devices/bad-params/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"reboot\",\"params\":{\"extra\":1}}").assertError(422);
        api.post("/api/v1/devices/bad-params/operations", admin, "{\"kind\":\"NUKE\",\"code\":\"reboot\"}")
                .assertError(400);
        api.post("/api/v1/devices/bad-params/operations", admin, "{\"code\":\"reboot\"}").assertError(400);
        assertThat(api.get("/api/v1/devices/bad-params/operations", admin).json().path("total").asLong()).isZero();
        api.post("/api/v1/devices/bad-params/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"reboot\",\"params\":{\"delaySeconds\":5}}").assertStatus(201);
    }

    @Test
    void shouldNotFindADeviceOfAnotherTenantOrOneNotSharedWithTheCaller() {
        enroll("hidden-1", "hidden-2");
        group("hidden-g", "hidden-1");
        api.post("/api/v1/users", admin, "{\"username\":\"olga\",\"password\":\"olga-password\",\"roles\":[\"admin\"],"
                + "\"tenant\":\"ops-t2\"}").assertStatus(201);
        String olga = api.login("olga", "olga-password");
        api.post("/api/v1/devices/hidden-1/operations", olga, "{\"kind\":\"COMMAND\",\"code\":\"reboot\"}")
                .assertError(404);
        api.post("/api/v1/groups/hidden-g/operations", olga, "{\"kind\":\"COMMAND\",\"code\":\"reboot\"}")
                .assertError(404);

        api.post("/api/v1/roles", admin, "{\"name\":\"operators\",\"scopes\":[\"operation:manage\","
                + "\"operation:view\",\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"oscar\",\"password\":\"oscar-password\","
                + "\"roles\":[\"operators\"]}").assertStatus(201);
        String oscar = api.login("oscar", "oscar-password");
        api.post("/api/v1/devices/hidden-1/operations", oscar, "{\"kind\":\"COMMAND\",\"code\":\"reboot\"}")
                .assertError(404);
        api.post("/api/v1/operations", oscar, "{\"kind\":\"COMMAND\",\"code\":\"reboot\",\"devices\":[\"hidden-1\"]}")
                .assertError(404);
        String opId = api.post("/api/v1/devices/hidden-1/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"reboot\"}").assertStatus(201).json().path("id").asText();
        api.get("/api/v1/operations/" + opId, oscar).assertError(404);
        api.get("/api/v1/operations/" + opId, olga).assertError(404);
        api.post("/api/v1/operations/" + opId + "/cancel", oscar, "").assertError(404);

        api.put("/api/v1/groups/hidden-g/roles", admin, "{\"roles\":[\"operators\"]}").assertStatus(200);
        api.post("/api/v1/devices/hidden-1/operations", oscar, "{\"kind\":\"COMMAND\",\"code\":\"reboot\"}")
                .assertStatus(201);
        api.get("/api/v1/operations/" + opId, oscar).assertStatus(200);
        // One hidden device in a list refuses the whole list.
        api.post("/api/v1/operations", oscar, "{\"kind\":\"COMMAND\",\"code\":\"reboot\","
                + "\"devices\":[\"hidden-1\",\"hidden-2\"]}").assertError(404);
    }

    @Test
    void shouldLetADevicePullItsOperationsAndReportOverHttp() {
        enroll("puller", "other");
        String a = api.post("/api/v1/devices/puller/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"reboot\",\"params\":{\"delaySeconds\":1}}")
                .assertStatus(201).json().path("id").asText();
        String b = api.post("/api/v1/devices/puller/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"buzz\",\"oneWay\":true}").assertStatus(201).json().path("id")
                .asText();
        assertThat(status(a)).isEqualTo("SENT");

        JsonNode pulled = api.get("/api/v1/device/operations/pending", device("puller")).assertStatus(200).json();
        assertThat(pulled).extracting(n -> n.path("operationId").asText()).containsExactly(a, b);
        assertThat(pulled.get(0).path("idempotencyKey").asText()).isNotBlank();
        assertThat(pulled.get(0).path("params").path("delaySeconds").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/device/operations/pending", device("puller")).json()).isEmpty();
        assertThat(status(a)).isEqualTo("DELIVERED");
        assertThat(status(b)).isEqualTo("COMPLETED"); // one-way: done once delivered

        api.put("/api/v1/device/operations/" + a, device("puller"), "{\"status\":\"IN_PROGRESS\"}").assertStatus(200);
        JsonNode done = api.put("/api/v1/device/operations/" + a, device("puller"),
                "{\"status\":\"COMPLETED\",\"response\":{\"uptime\":0}}").assertStatus(200).json();
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        JsonNode full = op(a);
        assertThat(full.path("response").path("uptime").asInt()).isZero();
        assertThat(full.path("history")).extracting(n -> n.path("status").asText())
                .containsExactly("PENDING", "SENT", "DELIVERED", "IN_PROGRESS", "COMPLETED");
        assertThat(full.path("history").get(2).path("source").asText()).isEqualTo("http");
    }

    @Test
    void shouldTakeADuplicateReportOnceAndRefuseOneThatGoesBackwards() {
        enroll("dup-dev");
        String a = api.post("/api/v1/devices/dup-dev/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}")
                .assertStatus(201).json().path("id").asText();
        api.get("/api/v1/device/operations/pending", device("dup-dev")).assertStatus(200);
        api.put("/api/v1/device/operations/" + a, device("dup-dev"), "{\"status\":\"COMPLETED\"}").assertStatus(200);
        int changes = op(a).path("history").size();
        api.put("/api/v1/device/operations/" + a, device("dup-dev"), "{\"status\":\"COMPLETED\"}").assertStatus(200);
        assertThat(op(a).path("history").size()).isEqualTo(changes);

        Api.Reply back = api.put("/api/v1/device/operations/" + a, device("dup-dev"), "{\"status\":\"IN_PROGRESS\"}")
                .assertError(409);
        assertThat(back.json().path("message").asText()).contains("already COMPLETED");
        api.put("/api/v1/device/operations/" + a, device("dup-dev"), "{\"status\":\"ERROR\"}").assertError(409);
        assertThat(status(a)).isEqualTo("COMPLETED");
        api.put("/api/v1/device/operations/" + a, device("dup-dev"), "{\"status\":\"TIMED_OUT\"}").assertError(400);
        api.put("/api/v1/device/operations/" + a, device("dup-dev"), "{}").assertError(400);
    }

    @Test
    void shouldRefuseAReportFromADeviceOnAnOperationNotItsOwn() {
        enroll("owner-dev", "intruder");
        String a = api.post("/api/v1/devices/owner-dev/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}")
                .assertStatus(201).json().path("id").asText();
        api.put("/api/v1/device/operations/" + a, device("intruder"), "{\"status\":\"COMPLETED\"}").assertError(404);
        api.put("/api/v1/device/operations/" + a, "owner-dev:wrong-token", "{\"status\":\"COMPLETED\"}")
                .assertError(401);
        api.get("/api/v1/device/operations/pending", null).assertError(401);
        api.get("/api/v1/device/operations/pending", admin).assertError(401);
        assertThat(api.get("/api/v1/device/operations/pending", device("intruder")).json()).isEmpty();
        assertThat(status(a)).isEqualTo("SENT");

        // The same over Kafka, as ingest forwards an MQTT report: the stamped device is not the owner.
        send(Topics.OPERATION_STATUS.name(), "default/owner-dev", OperationCodec.encode(
                new OperationStatus("default", "intruder", a, "COMPLETED", 1, null)));
        String b = api.post("/api/v1/devices/owner-dev/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}")
                .assertStatus(201).json().path("id").asText();
        send(Topics.OPERATION_STATUS.name(), "default/owner-dev", OperationCodec.encode(
                new OperationStatus("default", "owner-dev", b, "DELIVERED", 1)));
        // b's report comes after a's on the same consumer: once b moved, a's was judged and refused.
        await().atMost(WAIT).until(() -> status(b).equals("DELIVERED"));
        assertThat(status(a)).isEqualTo("SENT");
    }

    @Test
    void shouldPublishTheOperationToKafkaAndTakeStatusesAndOnlineEventsFromIt() {
        enroll("kafka-dev");
        String a = api.post("/api/v1/devices/kafka-dev/operations", admin,
                "{\"kind\":\"CONFIG\",\"code\":\"set-interval\",\"params\":{\"seconds\":10}}")
                .assertStatus(201).json().path("id").asText();
        List<OperationMessage> sent = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            sent.clear();
            sent.addAll(operationsFor(a));
            return !sent.isEmpty();
        });
        OperationMessage m = sent.get(0);
        assertThat(m.deviceId()).isEqualTo("kafka-dev");
        JsonNode payload = read(m.payloadJson());
        assertThat(payload.path("code").asText()).isEqualTo("set-interval");
        assertThat(payload.path("params").path("seconds").asInt()).isEqualTo(10);
        assertThat(payload.path("idempotencyKey").asText()).isNotBlank();

        // The device came online: its undelivered operation goes again, with the same idempotency key.
        // Sent again on each poll: the API's online-event consumer starts at the topic's end and may not have its
        // partitions yet when the first one is written; a second re-send carries the same key, so it changes nothing.
        byte[] online = ("{\"type\":\"online\",\"tenant\":\"default\",\"deviceId\":\"kafka-dev\",\"ts\":1,"
                + "\"transport\":\"mqtt\"}").getBytes(StandardCharsets.UTF_8);
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            send(Topics.DEVICE_EVENTS.name(), "default/kafka-dev", online);
            return operationsFor(a).size() >= 2;
        });
        assertThat(read(operationsFor(a).get(1).payloadJson()).path("idempotencyKey").asText())
                .isEqualTo(payload.path("idempotencyKey").asText());

        send(Topics.OPERATION_STATUS.name(), "default/kafka-dev", OperationCodec.encode(
                new OperationStatus("default", "kafka-dev", a, "DELIVERED", 1)));
        await().atMost(WAIT).until(() -> status(a).equals("DELIVERED"));
        send(Topics.OPERATION_STATUS.name(), "default/kafka-dev", OperationCodec.encode(
                new OperationStatus("default", "kafka-dev", a, "COMPLETED", 2, "{\"applied\":true}")));
        await().atMost(WAIT).until(() -> status(a).equals("COMPLETED"));
        assertThat(op(a).path("response").path("applied").asBoolean()).isTrue();
    }

    @Test
    void shouldSupersedeAnUndeliveredConfigOfTheSameFeature() {
        enroll("cfg-dev");
        String older = api.post("/api/v1/devices/cfg-dev/operations", admin,
                "{\"kind\":\"CONFIG\",\"code\":\"set-interval\",\"params\":{\"seconds\":10}}")
                .assertStatus(201).json().path("id").asText();
        String command = api.post("/api/v1/devices/cfg-dev/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}").assertStatus(201).json().path("id").asText();
        String newer = api.post("/api/v1/devices/cfg-dev/operations", admin,
                "{\"kind\":\"CONFIG\",\"code\":\"set-interval\",\"params\":{\"seconds\":20}}")
                .assertStatus(201).json().path("id").asText();
        assertThat(status(older)).isEqualTo("SUPERSEDED");
        assertThat(status(command)).isEqualTo("SENT");
        JsonNode pulled = api.get("/api/v1/device/operations/pending", device("cfg-dev")).json();
        assertThat(pulled).extracting(n -> n.path("operationId").asText()).containsExactly(command, newer);
        // Delivered, a CONFIG is no longer superseded by a newer one.
        api.post("/api/v1/devices/cfg-dev/operations", admin,
                "{\"kind\":\"CONFIG\",\"code\":\"set-interval\",\"params\":{\"seconds\":30}}").assertStatus(201);
        assertThat(status(newer)).isEqualTo("DELIVERED");
    }

    @Test
    void shouldExpireWhatIsNeverDeliveredAndTimeOutWhatIsNeverFinished() {
        enroll("slow-dev", "gone-dev");
        String never = api.post("/api/v1/devices/gone-dev/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"buzz\",\"expiresInSeconds\":1}").assertStatus(201).json()
                .path("id").asText();
        String stuck = api.post("/api/v1/devices/slow-dev/operations", admin,
                "{\"kind\":\"COMMAND\",\"code\":\"buzz\",\"timeoutSeconds\":1}").assertStatus(201).json()
                .path("id").asText();
        api.get("/api/v1/device/operations/pending", device("slow-dev")).assertStatus(200);
        // A second may pass on a busy machine before this report: then the sweeper has timed it out already (409).
        assertThat(api.put("/api/v1/device/operations/" + stuck, device("slow-dev"), "{\"status\":\"IN_PROGRESS\"}")
                .status()).isIn(200, 409);
        await().atMost(WAIT).until(() -> status(never).equals("EXPIRED") && status(stuck).equals("TIMED_OUT"));
        assertThat(op(stuck).path("history")).extracting(n -> n.path("source").asText()).last()
                .isEqualTo("sweeper");
        // A late report cannot revive it.
        api.put("/api/v1/device/operations/" + stuck, device("slow-dev"), "{\"status\":\"COMPLETED\"}")
                .assertError(409);
        assertThat(api.get("/api/v1/device/operations/pending", device("gone-dev")).json()).isEmpty();
    }

    @Test
    void shouldRollOutToAGroupInBatches() {
        enroll("b-1", "b-2", "b-3", "b-4", "b-5");
        group("batch-g", "b-1", "b-2", "b-3", "b-4", "b-5");
        JsonNode rollout = api.post("/api/v1/groups/batch-g/operations", admin, "{\"kind\":\"COMMAND\","
                + "\"code\":\"buzz\",\"rollout\":{\"batchSize\":2}}").assertStatus(201).json();
        String id = rollout.path("id").asText();
        assertThat(rollout.path("total").asInt()).isEqualTo(5);
        JsonNode now = op(id);
        assertThat(now.path("counts").path("SENT").asLong()).isEqualTo(2);
        assertThat(now.path("counts").path("PENDING").asLong()).isEqualTo(3);

        // Each device does what it is given; the rollout releases the next ones as earlier ones finish.
        await().atMost(WAIT).until(() -> {
            for (String d : List.of("b-1", "b-2", "b-3", "b-4", "b-5")) {
                for (JsonNode o : api.get("/api/v1/device/operations/pending", device(d)).json()) {
                    api.put("/api/v1/device/operations/" + o.path("operationId").asText(), device(d),
                            "{\"status\":\"COMPLETED\"}").assertStatus(200);
                }
            }
            JsonNode r = op(id);
            assertThat(r.path("counts").path("SENT").asLong() + r.path("counts").path("DELIVERED").asLong())
                    .isLessThanOrEqualTo(2);
            return r.path("status").asText().equals("COMPLETED");
        });
        JsonNode done = op(id);
        assertThat(done.path("counts").path("COMPLETED").asLong()).isEqualTo(5);
        assertThat(done.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(api.get("/api/v1/operations/" + id + "/operations?status=COMPLETED", admin).json()
                .path("total").asLong()).isEqualTo(5);
        assertThat(api.get("/api/v1/operations", admin).json().path("items")).extracting(n -> n.path("id").asText())
                .contains(id);
    }

    @Test
    void shouldAbortARolloutPastItsThresholdAndCancelTheRest() {
        enroll("x-1", "x-2", "x-3", "x-4");
        group("abort-g", "x-1", "x-2", "x-3", "x-4");
        String id = api.post("/api/v1/groups/abort-g/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\","
                + "\"rollout\":{\"batchSize\":1,\"abortThresholdPercent\":10}}").assertStatus(201).json()
                .path("id").asText();
        JsonNode first = null;
        for (String d : List.of("x-1", "x-2", "x-3", "x-4")) {
            JsonNode pulled = api.get("/api/v1/device/operations/pending", device(d)).json();
            if (!pulled.isEmpty()) {
                first = pulled.get(0);
                api.put("/api/v1/device/operations/" + first.path("operationId").asText(), device(d),
                        "{\"status\":\"ERROR\",\"response\":\"bulb broken\"}").assertStatus(200);
            }
        }
        assertThat(first).isNotNull();
        await().atMost(WAIT).until(() -> op(id).path("status").asText().equals("ABORTED"));
        JsonNode r = op(id);
        assertThat(r.path("counts").path("ERROR").asLong()).isEqualTo(1);
        assertThat(r.path("counts").path("CANCELLED").asLong()).isEqualTo(3);
        assertThat(r.path("reason").asText()).contains("aborted");
        assertThat(r.path("failedPercent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void shouldCancelTheRestOfARolloutInOneCall() {
        enroll("c-1", "c-2", "c-3");
        group("cancel-g", "c-1", "c-2", "c-3");
        String id = api.post("/api/v1/groups/cancel-g/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}")
                .assertStatus(201).json().path("id").asText();
        JsonNode pulled = api.get("/api/v1/device/operations/pending", device("c-1")).json();
        assertThat(pulled).hasSize(1);
        JsonNode cancelled = api.post("/api/v1/operations/" + id + "/cancel", admin, "").assertStatus(200).json();
        assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("counts").path("CANCELLED").asLong()).isEqualTo(2);
        assertThat(cancelled.path("counts").path("DELIVERED").asLong()).isEqualTo(1);
        api.post("/api/v1/operations/" + id + "/cancel", admin, "").assertError(409);
        assertThat(api.get("/api/v1/device/operations/pending", device("c-2")).json()).isEmpty();
        // What was already delivered runs to its end.
        api.put("/api/v1/device/operations/" + pulled.get(0).path("operationId").asText(), device("c-1"),
                "{\"status\":\"COMPLETED\"}").assertStatus(200);
        api.post("/api/v1/operations/nope/cancel", admin, "").assertError(404);
        api.post("/api/v1/groups/nope/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}")
                .assertError(404);
    }

    @Test
    void shouldWriteEveryChangeToTheActivityLog() {
        enroll("audit-dev");
        String a = api.post("/api/v1/devices/audit-dev/operations", admin, "{\"kind\":\"COMMAND\",\"code\":\"buzz\"}")
                .assertStatus(201).json().path("id").asText();
        api.get("/api/v1/device/operations/pending", device("audit-dev")).assertStatus(200);
        api.put("/api/v1/device/operations/" + a, device("audit-dev"), "{\"status\":\"COMPLETED\"}").assertStatus(200);
        JsonNode log = api.get("/api/v1/activities?from=-1h&limit=1000", admin).assertStatus(200).json();
        List<String> entries = new ArrayList<>();
        for (JsonNode e : log.path("items")) {
            if (a.equals(e.path("targetId").asText())) {
                entries.add(e.path("action").asText() + ":" + e.path("details").path("status").asText(""));
            }
        }
        assertThat(entries).contains("operation.create:", "operation.status:DELIVERED", "operation.status:COMPLETED");
    }

    @Test
    void shouldLetAnotherServiceSendPoliciesThroughTheJavaApi() {
        enroll("java-1", "java-2");
        OperationService service = ((DeviceMgmtApplication) EXT.getApplication()).operationService();
        List<OperationListener.Change> seen = new CopyOnWriteArrayList<>();
        service.addListener(seen::add);
        Submitted s = service.submitAsSystem("default", "policy:p1", List.of("java-1", "java-2"),
                OperationSpec.of(OperationKind.POLICY, "p1", JSON.createObjectNode().put("interval", 5)));
        assertThat(s.rolloutId()).isNotNull();
        assertThat(s.operationIds()).containsOnlyKeys("java-1", "java-2");
        String opId = s.operationIds().get("java-1");
        JsonNode pulled = api.get("/api/v1/device/operations/pending", device("java-1")).json();
        assertThat(pulled.get(0).path("kind").asText()).isEqualTo("POLICY");
        api.put("/api/v1/device/operations/" + opId, device("java-1"), "{\"status\":\"COMPLETED\","
                + "\"response\":{\"compliance\":{\"interval\":\"compliant\"}}}").assertStatus(200);
        assertThat(seen).anySatisfy(c -> {
            assertThat(c.operationId()).isEqualTo(opId);
            assertThat(c.status()).isEqualTo(OperationState.COMPLETED);
            assertThat(c.response().path("compliance").path("interval").asText()).isEqualTo("compliant");
        });
        assertThat(service.operation("default", opId).orElseThrow().status()).isEqualTo(OperationState.COMPLETED);
        assertThat(service.rollout("default", s.rolloutId()).total()).isEqualTo(2);
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

    /** Every record of the operations topic for this operation, in order. */
    private static List<OperationMessage> operationsFor(String operationId) {
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
                    if (m.operationId().equals(operationId)) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }
}
