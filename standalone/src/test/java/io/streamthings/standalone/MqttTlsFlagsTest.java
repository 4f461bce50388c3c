package io.streamthings.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT TLS flags of the launcher and the self-signed key store it can generate. */
class MqttTlsFlagsTest {

    @TempDir
    Path dir;

    @Test
    void shouldHaveNoTlsListenerByDefaultAndTakeTheFlags() {
        assertThat(StandaloneConfig.parse(new String[0]).mqttTls()).isEmpty();
        StandaloneConfig config = StandaloneConfig.parse(new String[] {"--mqtt-tls", "self-signed",
            "--mqtt-tls-port", "18883"});
        assertThat(config.mqttTls()).isEqualTo(StandaloneConfig.SELF_SIGNED);
        assertThat(config.mqttTlsPort()).isEqualTo(18883);
    }

    @Test
    void shouldRefuseATlsPortTakenByAnotherServer() {
        assertThatThrownBy(() -> StandaloneConfig.parse(new String[] {"--mqtt-tls", "self-signed",
            "--mqtt-tls-port", "1883"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mqtt-tls-port");
    }

    @Test
    void shouldGenerateALoadableKeyStoreOnceAndKeepIt() throws Exception {
        SelfSignedKeyStore.KeyStore first = SelfSignedKeyStore.ensure(dir.resolve("mqtt-tls"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(first.path())) {
            ks.load(in, first.password().toCharArray());
        }
        assertThat(ks.isKeyEntry("mqtt")).isTrue();
        SelfSignedKeyStore.KeyStore again = SelfSignedKeyStore.ensure(dir.resolve("mqtt-tls"));
        assertThat(again).isEqualTo(first);
    }
}
