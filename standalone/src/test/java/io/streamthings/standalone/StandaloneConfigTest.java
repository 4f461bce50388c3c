package io.streamthings.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StandaloneConfigTest {

    @Test
    void shouldUseTheDefaultsOfTheApiContract() {
        StandaloneConfig config = StandaloneConfig.parse(new String[0]);

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.adminPort()).isEqualTo(8081);
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.mqttPort()).isEqualTo(1883);
        assertThat(config.influxPort()).isEqualTo(8086);
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Test
    void shouldTakeFlagsWithSpaceOrEquals() {
        StandaloneConfig config = StandaloneConfig.parse(
                new String[] {"--data-dir", "/tmp/st", "--http-port=9090", "--mqtt-port", "11883"});

        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/st"));
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.mqttPort()).isEqualTo(11883);
    }

    @Test
    void shouldRejectAnUnknownFlag() {
        assertThatThrownBy(() -> StandaloneConfig.parse(new String[] {"--colour", "blue"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --colour");
    }

    @Test
    void shouldRejectAPortThatIsNotANumber() {
        assertThatThrownBy(() -> StandaloneConfig.parse(new String[] {"--kafka-port", "ninety"}))
                .hasMessage("--kafka-port expects a port number, got \"ninety\"");
    }

    @Test
    void shouldRejectAPortOutOfRange() {
        assertThatThrownBy(() -> StandaloneConfig.parse(new String[] {"--http-port", "70000"}))
                .hasMessageContaining("between 1 and 65535");
    }

    @Test
    void shouldRejectTwoServersOnOnePort() {
        assertThatThrownBy(() -> StandaloneConfig.parse(new String[] {"--http-port", "1883"}))
                .hasMessageContaining("cannot share a port");
    }

    @Test
    void shouldRejectAFlagWithoutItsValue() {
        assertThatThrownBy(() -> StandaloneConfig.parse(new String[] {"--data-dir"}))
                .hasMessage("--data-dir needs a value");
    }
}
