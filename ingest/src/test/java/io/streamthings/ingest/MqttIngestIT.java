package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.ingest.support.Devices;
import io.streamthings.ingest.support.IngestHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT ingest on the real embedded Kafka and ingest's own MQTT server: devices authenticate with their tokens against
 * the credential stream, publish only to their own topics, and what they send is stamped into {@code telemetry.raw}
 * or, when bad, dead-lettered with the reason and the raw payload.
 */
class MqttIngestIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static IngestHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = IngestHarness.start(dir, config -> { });
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldStampTelemetryFromTheCredentialsAndReportTheDeviceSeen() throws Exception {
        String token = enroll("acme", "mq-1");
        MqttClient device = Devices.connect(harness.mqttUri(), "mq-1@acme", token);
        Devices.publish(device, "devices/mq-1/telemetry", "{\"ts\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"temperature\":21.5},\"tags\":{\"site\":\"plant-a\"}}");
        Devices.publish(device, "devices/mq-1/telemetry", "[" + Devices.record("humidity", 40.2) + ","
                + Devices.record("humidity", 40.3) + "]");
        device.disconnect();

        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("mq-1").size() == 3);
        StampedTelemetry first = harness.reader().telemetryOf("mq-1").stream()
                .filter(t -> t.record().metrics().containsKey("temperature")).findFirst().orElseThrow();
        assertThat(first.tenant()).isEqualTo("acme");
        assertThat(first.deviceType()).isEqualTo("thermostat");
        assertThat(first.key()).isEqualTo("acme/mq-1");
        assertThat(first.record().tags()).containsEntry("site", "plant-a");
        assertThat(first.receivedAt()).isGreaterThanOrEqualTo(first.record().ts() - 1_000);
        await().atMost(WAIT).until(() -> harness.reader().deviceEvents().stream()
                .anyMatch(e -> e.startsWith("acme/mq-1 {\"type\":\"seen\",\"tenant\":\"acme\",\"deviceId\":\"mq-1\"")));
    }

    @Test
    void shouldDeadLetterMalformedJsonWrongTypesAndTooManyMetricsWithReasonAndRawPayload() throws Exception {
        String token = enroll("acme", "mq-bad");
        String tooMany = IntStream.range(0, 10_000).mapToObj(i -> "\"m" + i + "\":" + i)
                .collect(Collectors.joining(",", "{\"metrics\":{", "}}"));
        MqttClient device = Devices.connect(harness.mqttUri(), "mq-bad@acme", token);
        Devices.publish(device, "devices/mq-bad/telemetry", "{not json");
        Devices.publish(device, "devices/mq-bad/telemetry", "{\"metrics\":{\"temperature\":\"hot\"}}");
        Devices.publish(device, "devices/mq-bad/telemetry", tooMany);
        device.disconnect();

        await().atMost(WAIT).until(() -> deadLettersOf("mq-bad").size() == 3);
        List<DeadLetter> letters = deadLettersOf("mq-bad");
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.source()).isEqualTo("mqtt");
            assertThat(l.tenant()).isEqualTo("acme");
        });
        assertThat(letters).anySatisfy(l -> {
            assertThat(l.field()).isEqualTo("$");
            assertThat(l.rawPayloadText()).contains("{not json");
        });
        assertThat(letters).anySatisfy(l -> {
            assertThat(l.reason()).isEqualTo("metrics.temperature: expected a number, got \"hot\"");
            assertThat(l.rawPayloadText()).contains("{\"metrics\":{\"temperature\":\"hot\"}}");
        });
        assertThat(letters).anySatisfy(l -> {
            assertThat(l.reason()).isEqualTo("metrics: more than 1000 metrics");
            assertThat(l.rawPayload()).hasSize(tooMany.length());
        });
        assertThat(harness.reader().telemetryOf("mq-bad")).isEmpty();
    }

    @Test
    void shouldRefuseAWrongTokenAndARotatedAwayOne() throws Exception {
        String old = enroll("acme", "mq-rot");
        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "mq-rot@acme", "wrong-token"))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "nobody@acme", old))
                .isInstanceOf(MqttSecurityException.class);
        MqttClient openSession = Devices.connect(harness.mqttUri(), "mq-rot@acme", old);

        String fresh = harness.credentials().rotate("acme", "mq-rot");
        await().atMost(WAIT).until(() -> harness.directory().authenticate("mq-rot", fresh).admitted());
        await().atMost(WAIT).until(() -> !openSession.isConnected());

        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "mq-rot@acme", old))
                .isInstanceOf(MqttSecurityException.class);
        publishWithoutWaiting(openSession, "devices/mq-rot/telemetry", Devices.record("stale", 1));
        MqttClient renewed = Devices.connect(harness.mqttUri(), "mq-rot@acme", fresh);
        Devices.publish(renewed, "devices/mq-rot/telemetry", Devices.record("fresh", 2));

        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("mq-rot").size() == 1);
        assertThat(harness.reader().telemetryOf("mq-rot").get(0).record().metrics()).containsOnlyKeys("fresh");
        renewed.disconnect();
        assertThat(openSession.isConnected()).as("closed when the token was rotated").isFalse();
        openSession.close();
    }

    @Test
    void shouldRefuseABlockedDeviceAtOnceEvenWithItsSessionOpen() throws Exception {
        String token = enroll("acme", "mq-blk");
        String witnessToken = enroll("acme", "mq-witness");
        MqttClient device = Devices.connect(harness.mqttUri(), "mq-blk@acme", token);
        Devices.publish(device, "devices/mq-blk/telemetry", Devices.record("before", 1));
        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("mq-blk").size() == 1);

        harness.credentials().status("acme", "mq-blk", DeviceStatus.BLOCKED);
        await().atMost(WAIT).until(() -> !harness.directory().authenticate("mq-blk", token).admitted());

        publishWithoutWaiting(device, "devices/mq-blk/telemetry", Devices.record("after", 2));
        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "mq-blk@acme", token))
                .isInstanceOf(MqttSecurityException.class);
        witness(witnessToken, "mq-witness");
        assertThat(harness.reader().telemetryOf("mq-blk")).hasSize(1);
        await().atMost(WAIT).until(() -> !device.isConnected());
        device.close();
    }

    @Test
    void shouldRefuseTopicsOfAnotherDevice() throws Exception {
        String token = enroll("acme", "mq-acl");
        String otherToken = enroll("acme", "mq-acl-other");
        MqttClient device = Devices.connect(harness.mqttUri(), "mq-acl@acme", token);
        assertThat(device.subscribeWithResponse("devices/mq-acl-other/#", 1).getGrantedQos()).containsExactly(0x80);
        assertThat(device.subscribeWithResponse("devices/+/telemetry", 1).getGrantedQos()).containsExactly(0x80);
        assertThat(device.subscribeWithResponse("#", 1).getGrantedQos()).containsExactly(0x80);
        assertThat(device.subscribeWithResponse("devices/mq-acl/operations", 1).getGrantedQos()).containsExactly(1);

        // MQTT 3.1.1 has no way to refuse one PUBLISH: the connection is closed.
        publishWithoutWaiting(device, "devices/mq-acl-other/telemetry", Devices.record("spoofed", 1));
        await().atMost(WAIT).until(() -> !device.isConnected());

        witness(otherToken, "mq-acl-other");
        assertThat(harness.reader().telemetryOf("mq-acl-other"))
                .allSatisfy(t -> assertThat(t.record().metrics()).doesNotContainKey("spoofed"));
        device.close();
    }

    @Test
    void shouldAcceptWhatMosquittoPubSendsAsAnOutsideClient() throws Exception {
        String token = enroll("acme", "mq-cli");

        int exit = mosquittoPub("mq-cli@acme", token, "devices/mq-cli/telemetry", Devices.record("temperature", 19.0));
        int refused = mosquittoPub("mq-cli@acme", "wrong", "devices/mq-cli/telemetry", Devices.record("temperature", 0));

        assertThat(exit).isZero();
        assertThat(refused).isNotZero();
        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("mq-cli").size() == 1);
        assertThat(harness.reader().telemetryOf("mq-cli").get(0).record().metrics()).containsEntry("temperature",
                19.0);
    }

    private static String enroll(String tenant, String deviceId) {
        String token = harness.credentials().enroll(tenant, deviceId, "thermostat");
        await().atMost(WAIT).until(() -> harness.directory().authenticate(deviceId, token).admitted());
        return token;
    }

    /** Publishes a marker from another device and waits for it: what was refused before it is not coming. */
    private static void witness(String token, String deviceId) throws MqttException {
        MqttClient witness = Devices.connect(harness.mqttUri(), deviceId + "@acme", token);
        String marker = "marker" + System.nanoTime();
        Devices.publish(witness, "devices/" + deviceId + "/telemetry", Devices.record(marker, 1));
        witness.disconnect();
        await().atMost(WAIT).until(() -> harness.reader().telemetryOf(deviceId).stream()
                .anyMatch(t -> t.record().metrics().containsKey(marker)));
    }

    /** A refused publish gets no PUBACK on MQTT 3.1.1: send it without waiting for one. */
    private static void publishWithoutWaiting(MqttClient client, String topic, String payload) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(0);
        try {
            client.publish(topic, message);
        } catch (MqttException e) {
            // the broker may drop the connection instead: refused either way
        }
    }

    private static List<DeadLetter> deadLettersOf(String deviceId) {
        return harness.reader().deadLetters().stream().filter(l -> deviceId.equals(l.deviceId())).toList();
    }

    private static int mosquittoPub(String user, String password, String topic, String message) throws Exception {
        Process process = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(harness.mqttPort()), "-i", "cli-" + System.nanoTime(), "-u", user, "-P", password,
                "-t", topic, "-m", message, "-q", "1")
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

}
