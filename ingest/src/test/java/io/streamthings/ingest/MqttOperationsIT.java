package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.common.operation.OperationStatus;
import io.streamthings.ingest.support.IngestHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downlink: operations put on the {@code operations} topic reach the device's MQTT connection (QoS 1, at most
 * {@code operationsInFlight} unacknowledged), and what the device acknowledges is reported DELIVERED on
 * {@code operation.status}. Paho as the device.
 */
class MqttOperationsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WINDOW = 2;

    @TempDir
    static Path dir;

    static IngestHarness harness;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        harness = IngestHarness.start(dir, config -> config.getMqtt().setOperationsInFlight(WINDOW));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        await().atMost(WAIT).until(() -> harness.service().mqttServer().operationsReady());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldDeliverAnOperationToItsDeviceOnlyAndReportItDelivered() throws Exception {
        String token = enroll("acme", "op-1");
        String otherToken = enroll("acme", "op-2");
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> otherReceived = new CopyOnWriteArrayList<>();
        MqttClient device = connect("op-1@acme", token, false);
        device.subscribe("devices/op-1/operations", 1, (topic, m) -> received.add(topic + " " + text(m)));
        MqttClient other = connect("op-2@acme", otherToken, false);
        other.subscribe("devices/op-2/operations", 1, (topic, m) -> otherReceived.add(text(m)));

        send(new OperationMessage("acme", "op-1", "reboot-1", "{\"reboot\":true}"));
        send(new OperationMessage("globex", "op-1", "not-for-acme", "{\"reboot\":true}"));

        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(received.get(0)).startsWith("devices/op-1/operations ")
                .contains("\"operationId\":\"reboot-1\"").contains("\"payload\":{\"reboot\":true}");
        await().atMost(WAIT).until(() -> statuses().stream().anyMatch(s -> s.operationId().equals("reboot-1")));
        OperationStatus status = statuses().stream().filter(s -> s.operationId().equals("reboot-1")).findFirst()
                .orElseThrow();
        assertThat(status.status()).isEqualTo(OperationStatus.DELIVERED);
        assertThat(status.tenant()).isEqualTo("acme");
        assertThat(status.deviceId()).isEqualTo("op-1");

        // A marker to op-2 after the one for globex: once it is there, globex's is not coming to acme's op-1.
        send(new OperationMessage("acme", "op-2", "marker", "{}"));
        await().atMost(WAIT).until(() -> otherReceived.size() == 1);
        assertThat(received).hasSize(1);
        assertThat(statuses()).noneMatch(s -> s.operationId().equals("not-for-acme"));
        device.disconnect();
        other.disconnect();
    }

    @Test
    void shouldKeepAtMostTheWindowUnacknowledged() throws Exception {
        String token = enroll("acme", "op-window");
        List<MqttMessage> unacked = new CopyOnWriteArrayList<>();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        MqttClient device = connect("op-window@acme", token, true);
        device.subscribe("devices/op-window/operations", 1, (topic, m) -> {
            unacked.add(m);
            total.incrementAndGet();
            most.accumulateAndGet(unacked.size(), Math::max);
        });
        for (int i = 0; i < 6; i++) {
            send(new OperationMessage("acme", "op-window", "w-" + i, "{\"n\":" + i + "}"));
        }
        while (total.get() < 6) {
            await().atMost(WAIT).until(() -> !unacked.isEmpty());
            MqttMessage m = unacked.remove(0);
            device.messageArrivedComplete(m.getId(), m.getQos());
        }
        assertThat(most.get()).isLessThanOrEqualTo(WINDOW);
        await().atMost(WAIT).until(() -> statuses().stream().filter(s -> s.operationId().startsWith("w-")).count()
                >= 5);
        device.disconnect();
    }

    @Test
    void shouldForwardADevicesStatusReportStampedWithItsOwnIdentity() throws Exception {
        String token = enroll("acme", "op-report");
        MqttClient device = connect("op-report@acme", token, false);
        MqttMessage report = new MqttMessage(("{\"status\":\"COMPLETED\",\"deviceId\":\"someone-else\","
                + "\"response\":{\"rebooted\":true}}").getBytes(StandardCharsets.UTF_8));
        report.setQos(1);
        // publish() returns once the PUBACK came, and the PUBACK comes once Kafka has the report.
        device.publish("devices/op-report/operations/r-1/status", report);
        OperationStatus status = statuses().stream().filter(s -> s.operationId().equals("r-1")).findFirst()
                .orElseThrow();
        assertThat(status.tenant()).isEqualTo("acme");
        assertThat(status.deviceId()).isEqualTo("op-report");
        assertThat(status.status()).isEqualTo("COMPLETED");
        assertThat(status.responseJson()).isEqualTo("{\"rebooted\":true}");
        device.disconnect();
    }

    @Test
    void shouldRefuseAStatusReportUnderAnotherDevicesTopic() throws Exception {
        String token = enroll("acme", "op-nosy");
        MqttClient device = connect("op-nosy@acme", token, false);
        MqttMessage report = new MqttMessage("{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8));
        report.setQos(1);
        // MQTT 3.1.1 has no way to refuse one message: the server closes the connection.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> device.publish("devices/op-1/operations/r-2/status", report))
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class);
        assertThat(statuses()).noneMatch(s -> s.operationId().equals("r-2"));
    }

    private static String enroll(String tenant, String deviceId) {
        String token = harness.credentials().enroll(tenant, deviceId, "thermostat");
        await().atMost(WAIT).until(() -> harness.directory().authenticate(tenant, deviceId, token).admitted());
        return token;
    }

    private static MqttClient connect(String username, String token, boolean manualAcks) throws Exception {
        MqttClient client = new MqttClient(harness.mqttUri(), username + "-" + System.nanoTime(),
                new MemoryPersistence());
        client.setManualAcks(manualAcks);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(token.toCharArray());
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }

    private static void send(OperationMessage op) throws Exception {
        producer.send(new ProducerRecord<>(Topics.OPERATIONS.name(), op.tenant() + "/" + op.deviceId(),
                OperationCodec.encode(op))).get();
    }

    private static List<OperationStatus> statuses() {
        return harness.reader().readAll(Topics.OPERATION_STATUS.name()).stream()
                .map(r -> OperationCodec.decodeStatus(r.value())).toList();
    }

    private static String text(MqttMessage m) {
        return new String(m.getPayload(), StandardCharsets.UTF_8);
    }
}
