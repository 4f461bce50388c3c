package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.streamthings.devicemgmt.support.TestServers;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule management and alerts through the API, on embedded PostgreSQL and Kafka: validation with line and column,
 * dry runs, deployment announced on the rules topic, versions, removal; alerts folded from the alerts topic into one
 * open alert, acknowledged and cleared; and every refusal.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RulesAndAlertsIT {

    private static final AppUnderTest APP = AppUnderTest.create("rules_alerts_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String HOT = """
            @App:name('hot-device')
            @App:description('Alerts when a device is too hot')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from TelemetryStream[temperature > 90.0]
            select deviceId, ts, temperature, 'critical' as severity
            insert into AlertStream;
            """;

    private static Api api;
    private static String admin;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void login() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void validatesAnAppAndNamesWhatItReadsAndEmits() {
        JsonNode ok = api.post("/api/v1/rules/validate", admin, "text/plain", HOT).assertStatus(200).json();

        assertThat(ok.path("valid").asBoolean()).isTrue();
        assertThat(ok.path("name").asText()).isEqualTo("hot-device");
        assertThat(ok.path("inputs")).extracting(n -> n.path("name").asText() + ":" + n.path("kind").asText())
                .containsExactly("deviceId:DEVICE_ID", "ts:TS", "temperature:METRIC");
        assertThat(ok.path("alertAttributes")).extracting(JsonNode::asText)
                .containsExactly("deviceId", "ts", "temperature", "severity");
    }

    @Test
    void refusesABrokenAppWithTheLineAndColumnOfTheProblem() {
        String broken = HOT.replace("from TelemetryStream[temperature > 90.0]", "from TelemetryStream[temperature >]");

        Api.Reply reply = api.post("/api/v1/rules/validate", admin, "text/plain", broken).assertError(400);

        assertThat(reply.json().path("line").asInt()).isEqualTo(4);
        assertThat(reply.json().path("column").asInt()).isPositive();
        assertThat(reply.json().path("message").asText()).startsWith("line 4, column ");
        api.post("/api/v1/rules", admin, "text/plain", broken).assertError(400);
        Api.Reply unknown = api.post("/api/v1/rules/validate", admin, "text/plain",
                HOT.replace("from TelemetryStream[", "from NoSuchStream[")).assertError(400);
        assertThat(unknown.json().path("message").asText()).containsIgnoringCase("NoSuchStream");
        assertThat(unknown.json().path("line").asInt()).isEqualTo(4);
        api.post("/api/v1/rules/validate", admin, "text/plain", "").assertError(400);
        api.post("/api/v1/rules/validate", admin, "text/plain", "@App:name('x') garbage").assertError(400);
    }

    @Test
    void dryRunAnswersWhatTheAppWouldEmit() {
        String request = """
                {"app": %s, "events": [
                  {"deviceId": "d1", "ts": 1000, "metrics": {"temperature": 95.5}},
                  {"deviceId": "d2", "ts": 2000, "metrics": {"temperature": 20.0}},
                  {"deviceId": "d3", "ts": 3000, "metrics": {"humidity": 99.0}},
                  {"deviceId": "d4", "ts": 4000, "metrics": {"temperature": 91.0}}
                ]}""".formatted(json(HOT));

        JsonNode reply = api.post("/api/v1/rules/validate", admin, request).assertStatus(200).json();

        JsonNode dry = reply.path("dryRun");
        assertThat(dry.path("eventsIn").asInt()).isEqualTo(3);
        assertThat(dry.path("eventsSkipped").asInt()).isEqualTo(1);
        assertThat(dry.path("alerts")).extracting(a -> a.path("deviceId").asText()).containsExactly("d1", "d4");
        assertThat(dry.path("alerts").get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(dry.path("alerts").get(0).path("values").path("temperature").asDouble()).isEqualTo(95.5);
        assertThat(dry.path("alerts").get(0).path("ts").asLong()).isEqualTo(1000);
        api.post("/api/v1/rules/validate", admin, "{\"app\": " + json(HOT) + ", \"events\": [{\"ts\": 1}]}")
                .assertError(400);
    }

    @Test
    void deploysVersionsListsAndRemovesARuleAnnouncingEachOnTheRulesTopic() {
        String app = HOT.replace("hot-device", "lifecycle");
        JsonNode created = api.post("/api/v1/rules", admin, "text/plain", app).assertStatus(201).json();
        assertThat(created.path("name").asText()).isEqualTo("lifecycle");
        assertThat(created.path("version").asInt()).isEqualTo(1);
        assertThat(created.path("description").asText()).isEqualTo("Alerts when a device is too hot");

        JsonNode v2 = api.post("/api/v1/rules", admin, "text/plain", app.replace("90.0", "80.0"))
                .assertStatus(200).json();
        assertThat(v2.path("version").asInt()).isEqualTo(2);
        JsonNode one = api.get("/api/v1/rules/lifecycle", admin).assertStatus(200).json();
        assertThat(one.path("app").asText()).contains("80.0");
        assertThat(api.get("/api/v1/rules", admin).assertStatus(200).json().path("items"))
                .extracting(n -> n.path("name").asText()).contains("lifecycle");

        Map<String, RuleDefinition> topic = readRulesTopic(2);
        assertThat(topic.get("default/lifecycle").version()).isEqualTo(2);
        assertThat(topic.get("default/lifecycle").app()).contains("80.0");

        api.delete("/api/v1/rules/lifecycle", admin).assertStatus(204);
        api.get("/api/v1/rules/lifecycle", admin).assertError(404);
        api.delete("/api/v1/rules/lifecycle", admin).assertError(404);
        assertThat(readRulesTopic(3)).doesNotContainKey("default/lifecycle");
    }

    @Test
    void everyRuleAndAlertEndpointNeedsATokenWithItsScope() {
        api.post("/api/v1/roles", admin, "{\"name\":\"reader\",\"scopes\":[\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"rita\",\"password\":\"rita-password\","
                + "\"roles\":[\"reader\"]}").assertStatus(201);
        String rita = api.login("rita", "rita-password");

        for (String token : new String[] {null, "not-a-token"}) {
            api.post("/api/v1/rules/validate", token, "text/plain", HOT).assertError(401);
            api.post("/api/v1/rules", token, "text/plain", HOT).assertError(401);
            api.get("/api/v1/rules", token).assertError(401);
            api.get("/api/v1/alerts", token).assertError(401);
        }
        api.post("/api/v1/rules/validate", rita, "text/plain", HOT).assertError(403);
        api.post("/api/v1/rules", rita, "text/plain", HOT).assertError(403);
        api.get("/api/v1/rules", rita).assertError(403);
        api.get("/api/v1/rules/hot-device", rita).assertError(403);
        api.delete("/api/v1/rules/hot-device", rita).assertError(403);
        api.get("/api/v1/alerts", rita).assertError(403);
        api.post("/api/v1/alerts/1/acknowledge", rita, "{}").assertError(403);
        api.post("/api/v1/alerts/1/clear", rita, "{}").assertError(403);
    }

    @Test
    void aStormOfFiringsIsOneAlertThatCanBeAcknowledgedAndCleared() {
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            fire("storm", "d-storm", t0 + i, 91.0 + i);
        }
        fire("storm", "d-storm", t0 + 2, 93.0); // a redelivery: not a new firing

        JsonNode alert = awaitAlert("storm", a -> a.path("count").asLong() == 5);
        assertThat(alert.path("status").asText()).isEqualTo("OPEN");
        assertThat(alert.path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("values").path("temperature").asDouble()).isEqualTo(95.0);
        assertThat(alert.path("firstTs").asLong()).isEqualTo(t0);
        assertThat(alert.path("lastTs").asLong()).isEqualTo(t0 + 4);
        long id = alert.path("id").asLong();

        JsonNode acked = api.post("/api/v1/alerts/" + id + "/acknowledge", admin, "{}").assertStatus(200).json();
        assertThat(acked.path("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(acked.path("acknowledgedBy").asText()).isEqualTo("admin");
        fire("storm", "d-storm", t0 + 10, 99.0);
        JsonNode again = awaitAlert("storm", a -> a.path("count").asLong() == 6);
        assertThat(again.path("id").asLong()).isEqualTo(id);
        assertThat(again.path("status").asText()).isEqualTo("ACKNOWLEDGED");

        JsonNode cleared = api.post("/api/v1/alerts/" + id + "/clear", admin, "{}").assertStatus(200).json();
        assertThat(cleared.path("status").asText()).isEqualTo("CLEARED");
        api.post("/api/v1/alerts/" + id + "/acknowledge", admin, "{}").assertError(409);
        fire("storm", "d-storm", t0 + 20, 97.0);
        JsonNode reopened = awaitAlert("storm", a -> a.path("status").asText().equals("OPEN"));
        assertThat(reopened.path("id").asLong()).isNotEqualTo(id);
        assertThat(reopened.path("count").asLong()).isEqualTo(1);

        assertThat(api.get("/api/v1/alerts?rule=storm&status=CLEARED", admin).json().path("total").asLong())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/alerts?rule=storm&severity=info", admin).json().path("total").asLong())
                .isZero();
        api.get("/api/v1/alerts?severity=loud", admin).assertError(400);
        api.get("/api/v1/alerts?status=maybe", admin).assertError(400);
        api.get("/api/v1/alerts/999999", admin).assertError(404);
        api.get("/api/v1/alerts/abc", admin).assertError(404);
    }

    @Test
    void aUserSeesOnlyTheAlertsOfDevicesTheyMayActOn() {
        api.post("/api/v1/device-types", admin, "{\"name\":\"thermo-a\"}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"watcher\",\"scopes\":[\"device:view\",\"device:manage\","
                + "\"analytics:view\",\"alert:manage\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"walt\",\"password\":\"walt-password\","
                + "\"roles\":[\"watcher\"]}").assertStatus(201);
        String walt = api.login("walt", "walt-password");
        api.post("/api/v1/devices", admin, "{\"id\":\"d-admins\",\"name\":\"a\",\"type\":\"thermo-a\"}")
                .assertStatus(201);
        api.post("/api/v1/devices", walt, "{\"id\":\"d-walts\",\"name\":\"w\",\"type\":\"thermo-a\"}")
                .assertStatus(201);
        long t0 = System.currentTimeMillis();
        fire("vis", "d-admins", t0, 95.0);
        fire("vis", "d-walts", t0, 96.0);
        fire("vis", null, t0, 97.0); // about no single device: admins only

        await().atMost(WAIT).until(() -> api.get("/api/v1/alerts?rule=vis", admin).json().path("total").asLong() == 3);
        JsonNode mine = api.get("/api/v1/alerts?rule=vis", walt).assertStatus(200).json();
        assertThat(mine.path("items")).extracting(n -> n.path("deviceId").asText()).containsExactly("d-walts");
        long adminsAlert = api.get("/api/v1/alerts?rule=vis&deviceId=d-admins", admin).json()
                .path("items").get(0).path("id").asLong();
        api.get("/api/v1/alerts/" + adminsAlert, walt).assertError(404);
        api.post("/api/v1/alerts/" + adminsAlert + "/acknowledge", walt, "{}").assertError(404);
        api.post("/api/v1/alerts/" + adminsAlert + "/clear", walt, "{}").assertError(404);
        assertThat(api.get("/api/v1/alerts?rule=vis&deviceId=d-admins", walt).json().path("total").asLong())
                .isZero();
    }

    @Test
    void aPoisonAlertGoesToTheDeadLetterTopicAndTheNextTenantsAlertIsStored() {
        long t0 = System.currentTimeMillis();
        // what a rule selecting a long deviceId emits: the store's column holds 128 characters
        send(new AlertEvent("evil", "rule", "poison", "d".repeat(200), "critical", "hot", t0, t0,
                Map.of("temperature", 99.0)));
        // a NUL copied from a tag, which PostgreSQL text and jsonb cannot hold, and a huge message
        send(new AlertEvent("evil", "rule", "nul", "d-nul", "critical", "hot\u0000" + "x".repeat(200_000), t0, t0,
                Map.of("site", "s\u00001", "n\u0000", 1L)));
        producer.send(new ProducerRecord<>(Topics.ALERTS.name(), "evil/x", "{not json".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        fire("after-poison", "d-good", t0, 95.0);

        JsonNode good = awaitAlert("after-poison", a -> true);
        assertThat(good.path("deviceId").asText()).isEqualTo("d-good");

        List<DeadLetter> letters = readDeadLetters(2);
        assertThat(letters).extracting(DeadLetter::reason)
                .contains("deviceId: at most 128 characters, got 200")
                .anySatisfy(r -> assertThat(r).startsWith("unreadable alert"));
        DeadLetter poison = letters.stream().filter(d -> d.field().equals("deviceId")).findFirst().orElseThrow();
        assertThat(poison.tenant()).isEqualTo("evil");
        assertThat(poison.source()).isEqualTo("device-mgmt");
        assertThat(AlertCodec.decode(poison.rawPayload()).deviceId()).hasSize(200);

        // the NUL alert was cleaned and stored, in its own tenant
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(APP.jdbcUrl(), "postgres", "postgres");
                java.sql.Statement st = c.createStatement()) {
            await().atMost(WAIT).until(() -> {
                try (java.sql.ResultSet rs = st.executeQuery(
                        "SELECT message, alert_values::text FROM alerts WHERE tenant = 'evil' AND rule = 'nul'")) {
                    if (!rs.next()) {
                        return false;
                    }
                    assertThat(rs.getString(1)).startsWith("hotxxx").endsWith("[cut]").hasSizeLessThan(2_000);
                    assertThat(rs.getString(2)).contains("\"s1\"").doesNotContain("\\u0000");
                    return true;
                }
            });
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(AlertEvent alert) {
        producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.kafkaKey(), AlertCodec.encode(alert)));
    }

    /** The dead letters on alerts.dlq, once there are at least the given number. */
    private static List<DeadLetter> readDeadLetters(int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<DeadLetter> letters = new java.util.ArrayList<>();
        TelemetryCodec codec = new TelemetryCodec();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(WAIT).until(() -> c.partitionsFor(Topics.ALERTS_DLQ.name()) != null
                    && !c.partitionsFor(Topics.ALERTS_DLQ.name()).isEmpty());
            List<TopicPartition> parts = c.partitionsFor(Topics.ALERTS_DLQ.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    letters.add(codec.decodeDeadLetter(r.value()));
                }
                return letters.size() >= atLeast;
            });
        }
        return letters;
    }

    private static JsonNode awaitAlert(String rule, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            for (JsonNode a : api.get("/api/v1/alerts?rule=" + rule, admin).assertStatus(200).json().path("items")) {
                if (condition.test(a)) {
                    found[0] = a;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static void fire(String rule, String deviceId, long ts, double temperature) {
        AlertEvent alert = new AlertEvent("default", "rule", rule, deviceId, "critical", "hot", ts,
                System.currentTimeMillis(), Map.of("temperature", temperature));
        try {
            producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.kafkaKey(), AlertCodec.encode(alert)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest value per key on the rules topic, once it holds at least the given number of records. */
    private static Map<String, RuleDefinition> readRulesTopic(int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        Map<String, RuleDefinition> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.RULES.name(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            int[] seen = new int[1];
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    seen[0]++;
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), CatalogCodec.decodeDefinition(r.value()));
                    }
                }
                return seen[0] >= atLeast && c.position(tp) >= c.endOffsets(List.of(tp)).get(tp);
            });
        }
        return latest;
    }

    private static String json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
