package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.ingest.mqtt.MqttServer;
import io.streamthings.ingest.support.Devices;
import io.streamthings.ingest.support.IngestHarness;
import io.streamthings.ingest.support.RawMqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest's MQTT server against bad input, with real clients: Eclipse Paho for MQTT 3.1.1 and for MQTT 5,
 * {@code mosquitto_pub}/{@code mosquitto_sub} in both versions, and hand-written packets on a raw socket for what no
 * client library sends. Every refusal here is one a device would meet.
 */
class MqttServerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static IngestHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = IngestHarness.start(dir, config -> {
            config.getMqtt().setConnectTimeoutMs(1_000);
            config.getRateLimit().setEnabled(false);
        });
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static MqttServer server() {
        return harness.service().mqttServer();
    }

    // ---- identity ----

    @Test
    void shouldRefuseAWrongPasswordAnUnknownTenantAndAnUnknownDeviceOnBothVersions() throws Exception {
        String token = enroll("acme", "id-1");

        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "id-1@acme", "wrong"))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "id-1@no-such-tenant", token))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "nobody@acme", token))
                .isInstanceOf(MqttSecurityException.class);
        assertThat(v5RefusalCode("id-1@acme", "wrong")).isEqualTo(0x86);
        try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
            raw.send(RawMqtt.connect5("raw-5", "id-1@acme", "wrong", 30));
            assertThat(raw.readPacket()).isEqualTo(0x20);
            assertThat(raw.lastBody()[1] & 0xFF).as("CONNACK bad user name or password").isEqualTo(0x86);
            assertThat(raw.awaitClosed()).isTrue();
        }
        assertThat(v5RefusalCode("id-1@no-such-tenant", token)).isEqualTo(0x86);
        assertThat(v5RefusalCode("nobody@acme", token)).isEqualTo(0x86);
        assertThat(server().metrics().refusedCount("bad-credentials")).isGreaterThanOrEqualTo(6);

        // The right password is let in on both.
        Devices.connect(harness.mqttUri(), "id-1@acme", token).disconnect();
        MqttAsyncClient v5 = v5("id-1@acme", token, null);
        v5.disconnect().waitForCompletion(10_000);
        v5.close();
    }

    @Test
    void shouldNotLetADeviceOfOneTenantNameADeviceOfAnother() throws Exception {
        String acmeToken = enroll("acme", "cross-a");
        enroll("globex", "cross-b");
        enroll("globex", "cross-a");

        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "cross-b@globex", acmeToken))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> Devices.connect(harness.mqttUri(), "cross-a@globex", acmeToken))
                .as("the same id in another tenant has its own token").isInstanceOf(MqttSecurityException.class);
        assertThat(v5RefusalCode("cross-a@globex", acmeToken)).isEqualTo(0x86);
    }

    @Test
    void shouldKeepTheDataOfTheSameDeviceIdInTwoTenantsApart() throws Exception {
        String acme = enroll("acme", "twin");
        String globex = enroll("globex", "twin");
        MqttClient a = Devices.connect(harness.mqttUri(), "twin@acme", acme);
        MqttClient g = Devices.connect(harness.mqttUri(), "twin@globex", globex);
        Devices.publish(a, "devices/twin/telemetry", Devices.record("acme_only", 1));
        Devices.publish(g, "devices/twin/telemetry", Devices.record("globex_only", 2));
        assertThat(a.isConnected()).isTrue();
        assertThat(g.isConnected()).isTrue();
        a.disconnect();
        g.disconnect();

        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("twin").size() == 2);
        List<StampedTelemetry> twins = harness.reader().telemetryOf("twin");
        assertThat(twins).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo("acme/twin");
            assertThat(t.record().metrics()).containsOnlyKeys("acme_only");
        });
        assertThat(twins).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo("globex/twin");
            assertThat(t.record().metrics()).containsOnlyKeys("globex_only");
        });
    }

    @Test
    void shouldLetOnlyTheSameDeviceTakeAClientIdOver() throws Exception {
        String owner = enroll("acme", "cid-owner");
        String other = enroll("acme", "cid-other");
        MqttClient first = client("shared-client-id", "cid-owner@acme", owner);
        assertThatThrownBy(() -> client("shared-client-id", "cid-other@acme", other))
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class)
                .satisfies(e -> assertThat(((org.eclipse.paho.client.mqttv3.MqttException) e).getReasonCode())
                        .isEqualTo(2));
        assertThat(first.isConnected()).as("another device cannot end the session").isTrue();

        MqttClient second = client("shared-client-id", "cid-owner@acme", owner);
        await().atMost(WAIT).until(() -> !first.isConnected());
        assertThat(second.isConnected()).isTrue();
        second.disconnect();
        first.close();
        second.close();
    }

    @Test
    void shouldReportOnlineAndOfflineWithTheReasonToDeviceEvents() throws Exception {
        String token = enroll("acme", "presence-1");
        MqttClient device = Devices.connect(harness.mqttUri(), "presence-1@acme", token);
        device.disconnect();
        await().atMost(WAIT).until(() -> harness.reader().deviceEvents().stream().anyMatch(e -> e.startsWith(
                "acme/presence-1 {\"type\":\"offline\",\"tenant\":\"acme\",\"deviceId\":\"presence-1\"")
                && e.contains("\"reason\":\"client disconnected\"")));
        assertThat(harness.reader().deviceEvents()).anyMatch(e -> e.startsWith(
                "acme/presence-1 {\"type\":\"online\",\"tenant\":\"acme\",\"deviceId\":\"presence-1\""));
    }

    @Test
    void shouldCloseTheLiveConnectionOfABlockedARemovedAndARotatedDevice() throws Exception {
        String blocked = enroll("acme", "live-blk");
        String removed = enroll("acme", "live-del");
        String rotated = enroll("acme", "live-rot");
        MqttClient b = Devices.connect(harness.mqttUri(), "live-blk@acme", blocked);
        MqttClient d = Devices.connect(harness.mqttUri(), "live-del@acme", removed);
        MqttAsyncClient r = v5("live-rot@acme", rotated, null);
        CompletableFuture<Integer> rotatedReason = new CompletableFuture<>();
        r.setCallback(callback(rotatedReason));

        harness.credentials().status("acme", "live-blk", DeviceStatus.BLOCKED);
        harness.credentials().delete("acme", "live-del");
        harness.credentials().rotate("acme", "live-rot");

        // The issue's bound: within 5 s of the change reaching the credential stream.
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.isConnected() && !d.isConnected() && !r.isConnected());
        assertThat(rotatedReason.get(5, TimeUnit.SECONDS)).isEqualTo(0x87);
        b.close();
        d.close();
        r.close();
    }

    // ---- topics ----

    @Test
    void shouldAnswerAPublishOutsideTheDevicesTopicsWith0x87OnMqtt5AndKeepTheConnection() throws Exception {
        String token = enroll("acme", "acl5");
        String otherToken = enroll("acme", "acl5-other");
        MqttAsyncClient device = v5("acl5@acme", token, null);

        assertThat(publishV5(device, "devices/acl5-other/telemetry", Devices.record("spoofed", 1), 1))
                .isEqualTo(0x87);
        assertThat(publishV5(device, "somewhere/else", Devices.record("spoofed", 1), 1)).isEqualTo(0x87);
        assertThat(publishV5(device, "devices/acl5/commands", Devices.record("spoofed", 1), 1)).isEqualTo(0x87);
        assertThat(device.isConnected()).isTrue();
        assertThat(publishV5(device, "devices/acl5/telemetry", Devices.record("own", 1), 1)).isZero();
        assertThat(publishV5(device, "devices/acl5/events", Devices.record("event", 1), 1)).isZero();

        IMqttToken sub = device.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
            new org.eclipse.paho.mqttv5.common.MqttSubscription("devices/acl5-other/operations", 1),
            new org.eclipse.paho.mqttv5.common.MqttSubscription("devices/#", 1),
            new org.eclipse.paho.mqttv5.common.MqttSubscription("devices/acl5/operations", 1),
            new org.eclipse.paho.mqttv5.common.MqttSubscription("devices/acl5/edge/rules", 1)});
        sub.waitForCompletion(10_000);
        assertThat(sub.getReasonCodes()).containsExactly(0x87, 0x87, 1, 1);
        device.disconnect().waitForCompletion(10_000);
        device.close();

        Devices.connect(harness.mqttUri(), "acl5-other@acme", otherToken).disconnect();
        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("acl5").size() == 2);
        assertThat(harness.reader().telemetryOf("acl5-other")).isEmpty();
    }

    @Test
    void shouldRefuseMosquittoClientsOutsideTheirTopicsOnBothVersions() throws Exception {
        String token = enroll("acme", "cli-acl");
        // 3.1.1: the connection is closed, so mosquitto_pub fails instead of hanging for a PUBACK.
        CliResult v3 = mosquitto("mosquitto_pub", "mqttv311", "cli-acl@acme", token, "-t",
                "devices/someone-else/telemetry", "-m", Devices.record("x", 1), "-q", "1");
        assertThat(v3.exit()).isNotZero();
        CliResult v5 = mosquitto("mosquitto_pub", "mqttv5", "cli-acl@acme", token, "-t",
                "devices/someone-else/telemetry", "-m", Devices.record("x", 1), "-q", "1");
        assertThat(v5.exit()).as(v5.output()).isNotEqualTo(-1);
        CliResult ok5 = mosquitto("mosquitto_pub", "mqttv5", "cli-acl@acme", token, "-t",
                "devices/cli-acl/telemetry", "-m", Devices.record("cli5", 1), "-q", "1");
        assertThat(ok5.exit()).as(ok5.output()).isZero();

        CliResult sub3 = mosquitto("mosquitto_sub", "mqttv311", "cli-acl@acme", token, "-t",
                "devices/someone-else/operations", "-E");
        CliResult sub5 = mosquitto("mosquitto_sub", "mqttv5", "cli-acl@acme", token, "-t",
                "devices/someone-else/operations", "-E");
        assertThat(sub3.output() + sub5.output()).containsIgnoringCase("denied");
        CliResult subOwn = mosquitto("mosquitto_sub", "mqttv5", "cli-acl@acme", token, "-t",
                "devices/cli-acl/operations", "-E");
        assertThat(subOwn.exit()).as(subOwn.output()).isZero();
        assertThat(subOwn.output()).doesNotContainIgnoringCase("denied");
        await().atMost(WAIT).until(() -> harness.reader().telemetryOf("cli-acl").size() == 1);
    }

    // ---- bad packets ----

    @Test
    void shouldRefuseQos2OnBothVersions() throws Exception {
        String token = enroll("acme", "qos2");
        MqttClient v3 = Devices.connect(harness.mqttUri(), "qos2@acme", token);
        org.eclipse.paho.client.mqttv3.MqttMessage m = new org.eclipse.paho.client.mqttv3.MqttMessage(
                Devices.record("q", 2).getBytes(StandardCharsets.UTF_8));
        m.setQos(2);
        try {
            v3.publish("devices/qos2/telemetry", m);
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            // closed under it: refused either way
        }
        await().atMost(WAIT).until(() -> !v3.isConnected());
        v3.close();

        // Paho 5 and libmosquitto honour the CONNACK's "maximum QoS 1" and never send QoS 2: send it by hand.
        try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
            raw.send(RawMqtt.connect5("qos2-raw", "qos2@acme", token, 30));
            assertThat(raw.readPacket()).isEqualTo(0x20);
            raw.send(RawMqtt.publish("devices/qos2/telemetry", Devices.record("q", 2).getBytes(StandardCharsets.UTF_8),
                    2, true));
            assertThat(raw.readPacket()).as("DISCONNECT").isEqualTo(0xE0);
            assertThat(raw.lastBody()[0] & 0xFF).as("QoS not supported").isEqualTo(0x9B);
            assertThat(raw.awaitClosed()).isTrue();
        }

        CliResult cli = mosquitto("mosquitto_pub", "mqttv311", "qos2@acme", token, "-t", "devices/qos2/telemetry",
                "-m", Devices.record("q", 2), "-q", "2");
        assertThat(cli.exit()).isNotZero();
        assertThat(harness.reader().telemetryOf("qos2")).isEmpty();
    }

    @Test
    void shouldCloseAConnectionSendingAPacketOverTheLimit() throws Exception {
        String token = enroll("acme", "big");
        MqttClient device = Devices.connect(harness.mqttUri(), "big@acme", token);
        byte[] large = new byte[300 * 1024];
        java.util.Arrays.fill(large, (byte) 'x');
        org.eclipse.paho.client.mqttv3.MqttMessage m = new org.eclipse.paho.client.mqttv3.MqttMessage(large);
        m.setQos(1);
        assertThatThrownBy(() -> device.publish("devices/big/telemetry", m))
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class);
        await().atMost(WAIT).until(() -> !device.isConnected());
        device.close();
        assertThat(server().metrics().refusedCount("too-large")).isPositive();
    }

    @Test
    void shouldCloseAConnectionSendingGarbage() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0x10; // looks like a CONNECT, is not one
        try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
            raw.send(garbage);
            assertThat(raw.awaitClosed()).isTrue();
        }
        byte[] noise = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
            raw.send(noise);
            assertThat(raw.awaitClosed()).isTrue();
        }
    }

    @Test
    void shouldCloseAClientThatNeverSendsConnect() throws Exception {
        try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
            assertThat(raw.awaitClosed()).isTrue();
        }
        assertThat(server().metrics().refusedCount("no-connect")).isPositive();
    }

    @Test
    void shouldCloseAClientSilentPastOneAndAHalfKeepalives() throws Exception {
        String token = enroll("acme", "silent");
        try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
            raw.send(RawMqtt.connect("silent-1", "silent@acme", token, 1));
            assertThat(raw.readPacket()).isEqualTo(0x20);
            assertThat(raw.lastBody()[1]).as("CONNACK accepted").isZero();
            assertThat(raw.awaitClosed()).isTrue();
        }
        assertThat(server().metrics().refusedCount("keepalive")).isPositive();
    }

    @Test
    void shouldDeadLetterAMalformedPayloadAndSay0x99OnMqtt5() throws Exception {
        String token = enroll("acme", "bad5");
        MqttAsyncClient device = v5("bad5@acme", token, null);
        assertThat(publishV5(device, "devices/bad5/telemetry", "{not json", 1)).isEqualTo(0x99);
        assertThat(deadLettersOf("bad5")).hasSize(1)
                .allSatisfy(l -> assertThat(l.rawPayloadText()).contains("{not json"));
        assertThat(publishV5(device, "devices/bad5/telemetry", Devices.record("fine", 1), 1)).isZero();
        device.disconnect().waitForCompletion(10_000);
        device.close();
    }

    @Test
    void shouldLeakNothingOver10000Reconnects() throws Exception {
        String token = enroll("acme", "loop");
        // Other tests' clients may still be closing: compare with what is open before the loop.
        await().atMost(WAIT).until(() -> server().connections() == server().openChannels()
                && server().openChannels() == server().liveHandlers());
        int before = server().openChannels();
        for (int i = 0; i < 10_000; i++) {
            try (RawMqtt raw = RawMqtt.open(harness.mqttPort(), 30_000)) {
                raw.send(RawMqtt.connect("loop-" + (i % 50), "loop@acme", token, 30));
                assertThat(raw.readPacket()).isEqualTo(0x20);
                raw.send(RawMqtt.disconnect());
                raw.awaitClosed();
            }
        }
        // A real client too, after the loop.
        Devices.connect(harness.mqttUri(), "loop@acme", token).disconnect();
        await().atMost(WAIT).until(() -> server().connections() <= before && server().openChannels() <= before
                && server().liveHandlers() <= before);
    }

    // ---- helpers ----

    private static String enroll(String tenant, String deviceId) {
        String token = harness.credentials().enroll(tenant, deviceId, "thermostat");
        await().atMost(WAIT).until(() -> harness.directory().authenticate(tenant, deviceId, token).admitted());
        return token;
    }

    private static MqttClient client(String clientId, String username, String token)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        MqttClient client = new MqttClient(harness.mqttUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(token.toCharArray());
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }

    static MqttAsyncClient v5(String username, String token, String clientId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(harness.mqttUri(),
                clientId == null ? "v5-" + System.nanoTime() : clientId,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(username);
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    private static int v5RefusalCode(String username, String token) {
        try {
            MqttAsyncClient c = v5(username, token, null);
            c.disconnect();
            c.close();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Publishes and returns the PUBACK's reason code. */
    private static int publishV5(MqttAsyncClient client, String topic, String payload, int qos) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        IMqttToken token = client.publish(topic, message);
        try {
            token.waitForCompletion(30_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    private static MqttCallback callback(CompletableFuture<Integer> disconnectReason) {
        return new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnectReason.complete(response.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    private static List<DeadLetter> deadLettersOf(String deviceId) {
        return harness.reader().deadLetters().stream().filter(l -> deviceId.equals(l.deviceId())).toList();
    }

    record CliResult(int exit, String output) {}

    private static CliResult mosquitto(String tool, String version, String user, String password, String... args)
            throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p",
                String.valueOf(harness.mqttPort()), "-V", version, "-i", "cli-" + System.nanoTime(), "-u", user,
                "-P", password));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new CliResult(-1, new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new CliResult(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
