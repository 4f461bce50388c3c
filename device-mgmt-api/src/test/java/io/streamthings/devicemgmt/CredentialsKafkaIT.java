package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceCredentialCodec;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.streamthings.devicemgmt.support.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Device credentials and events on the real Kafka broker, and lastSeen fed back from device.events. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CredentialsKafkaIT {

    private static final AppUnderTest APP = AppUnderTest.create("credentials_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;
    private static KafkaConsumer<String, byte[]> consumer;
    private static final List<ConsumerRecord<String, byte[]>> SEEN = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"sensor\"}").assertStatus(201);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "credentials-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(Topics.DEVICE_CREDENTIALS.name(), Topics.DEVICE_EVENTS.name()));
    }

    @AfterAll
    static void close() {
        consumer.close();
    }

    @Test
    void shouldPublishACredentialThatVerifiesTheTokenAndThenTheBlockAndTheTombstone() {
        String token = api.post("/api/v1/devices", admin, "{\"id\":\"kafka-1\",\"name\":\"k\",\"type\":\"sensor\"}")
                .assertStatus(201).json().path("token").asText();
        String key = Topics.deviceKey("default", "kafka-1");

        DeviceCredential active = DeviceCredentialCodec.decode(awaitRecord(Topics.DEVICE_CREDENTIALS.name(), key, 1)
                .value());
        assertThat(active.status()).isEqualTo(DeviceStatus.ACTIVE);
        assertThat(active.deviceType()).isEqualTo("sensor");
        assertThat(active.owner()).isEqualTo("admin");
        assertThat(active.admits(token)).isTrue();
        assertThat(active.admits(token + "x")).isFalse();

        api.put("/api/v1/devices/kafka-1", admin, "{\"status\":\"BLOCKED\"}").assertStatus(200);
        DeviceCredential blocked = DeviceCredentialCodec.decode(awaitRecord(Topics.DEVICE_CREDENTIALS.name(), key, 2)
                .value());
        assertThat(blocked.status()).isEqualTo(DeviceStatus.BLOCKED);
        assertThat(blocked.admits(token)).isFalse();

        api.put("/api/v1/devices/kafka-1", admin, "{\"status\":\"ACTIVE\"}").assertStatus(200);
        String rotated = api.post("/api/v1/devices/kafka-1/token", admin, "").json().path("token").asText();
        DeviceCredential afterRotation = DeviceCredentialCodec.decode(
                awaitRecord(Topics.DEVICE_CREDENTIALS.name(), key, 4).value());
        assertThat(afterRotation.admits(rotated)).isTrue();
        assertThat(afterRotation.admits(token)).isFalse();

        api.delete("/api/v1/devices/kafka-1", admin).assertStatus(204);
        assertThat(awaitRecord(Topics.DEVICE_CREDENTIALS.name(), key, 5).value()).isNull();
        assertThat(eventTypes(key)).containsExactly("enrolled", "status_changed", "status_changed", "token_rotated",
                "removed");
    }

    @Test
    void shouldCreateTheCredentialsTopicCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestServers.get().bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEVICE_CREDENTIALS.name());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ConfigEntry policy = admin.describeConfigs(List.of(topic)).all().get().get(topic)
                        .get("cleanup.policy");
                assertThat(policy.value()).isEqualTo("compact");
            });
        }
    }

    @Test
    void shouldPublishEveryDeviceOfABulkEnrollment() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"bulk-k-").append(i)
                    .append("\",\"name\":\"b\",\"type\":\"sensor\"}");
        }
        JsonNode result = api.post("/api/v1/devices/bulk", admin, body + "]").assertStatus(200).json();
        String token = result.path("results").get(49).path("token").asText();

        DeviceCredential last = DeviceCredentialCodec.decode(
                awaitRecord(Topics.DEVICE_CREDENTIALS.name(), Topics.deviceKey("default", "bulk-k-49"), 1).value());

        assertThat(last.admits(token)).isTrue();
    }

    @Test
    void shouldFoldOnlineAndSeenEventsIntoTheDevice() {
        api.post("/api/v1/devices", admin, "{\"id\":\"seen-1\",\"name\":\"s\",\"type\":\"sensor\"}").assertStatus(201);
        long ts = System.currentTimeMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            // Sent again on each try: the consumer starts at the latest offset once its group is assigned.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>(Topics.DEVICE_EVENTS.name(), "default/seen-1",
                        "{\"type\":\"online\",\"tenant\":\"default\",\"deviceId\":\"seen-1\",\"ts\":" + ts + "}"))
                        .get();
            }
            JsonNode device = api.get("/api/v1/devices/seen-1", admin).json();
            assertThat(device.path("online").asBoolean()).isTrue();
            assertThat(device.path("lastSeen").isNull()).isFalse();
        });
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(String topic, String key, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            poll();
            return records(topic, key).size() >= count;
        });
        return records(topic, key).get(count - 1);
    }

    private static List<String> eventTypes(String key) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return records(Topics.DEVICE_EVENTS.name(), key).size() >= 5;
        });
        return records(Topics.DEVICE_EVENTS.name(), key).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .map(s -> s.replaceAll(".*\"type\":\"([a-z_]+)\".*", "$1"))
                .toList();
    }

    private static synchronized void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(SEEN::add);
    }

    private static synchronized List<ConsumerRecord<String, byte[]>> records(String topic, String key) {
        return SEEN.stream().filter(r -> r.topic().equals(topic) && key.equals(r.key())).toList();
    }
}
