package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamthings.ingest.support.Devices;
import io.streamthings.ingest.support.IngestHarness;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS when a key store is configured: Paho and {@code mosquitto_pub} trusting the server's certificate
 * publish through it; the plain port keeps working beside it; a client that does not trust the certificate fails.
 */
class MqttTlsIT {

    private static final String PASSWORD = "changeit-tls";

    @TempDir
    Path dir;

    @Test
    void shouldServeMqttOverTlsWithTheConfiguredKeyStore() throws Exception {
        Path keyStore = dir.resolve("mqtt.p12");
        Path pem = dir.resolve("mqtt.pem");
        keytool("-genkeypair", "-alias", "mqtt", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "mqtt", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        try (IngestHarness harness = IngestHarness.start(dir, config -> config.getMqtt()
                .setKeyStorePath(keyStore.toString()).setKeyStorePassword(PASSWORD))) {
            int tlsPort = harness.service().mqttServer().tlsPort();
            assertThat(tlsPort).isPositive();
            String token = harness.credentials().enroll("acme", "tls-1", "thermostat");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> harness.directory().authenticate("acme", "tls-1", token).admitted());

            MqttClient device = new MqttClient("ssl://127.0.0.1:" + tlsPort, "tls-1-client", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("tls-1@acme");
            options.setPassword(token.toCharArray());
            options.setSocketFactory(trusting(keyStore).getSocketFactory());
            device.connect(options);
            Devices.publish(device, "devices/tls-1/telemetry", Devices.record("over_tls", 1));
            device.disconnect();

            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(tlsPort),
                    "-V", "mqttv5", "--cafile", pem.toString(), "-u", "tls-1@acme", "-P", token, "-q", "1",
                    "-t", "devices/tls-1/telemetry", "-m", Devices.record("mosquitto_tls", 2))
                    .redirectErrorStream(true).start();
            assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes())).isZero();

            MqttClient untrusting = new MqttClient("ssl://127.0.0.1:" + tlsPort, "tls-2-client",
                    new MemoryPersistence());
            MqttConnectOptions plainTrust = new MqttConnectOptions();
            plainTrust.setUserName("tls-1@acme");
            plainTrust.setPassword(token.toCharArray());
            assertThatThrownBy(() -> untrusting.connect(plainTrust)).isInstanceOf(MqttException.class);

            Devices.connect(harness.mqttUri(), "tls-1@acme", token).disconnect();
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.reader().telemetryOf("tls-1").size() == 2);
        }
    }

    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
