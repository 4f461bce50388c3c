package io.streamthings.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void shouldReadTheOperationFlags() {
        SimulatorConfig c = SimulatorConfig.parse(new String[] {"--token", "t", "--rate", "0", "--fail-share", "0.2",
            "--reboot-downtime", "500", "--poll", "2", "--group", "fleet", "--operations", "on"});

        assertThat(c.ratePerSecond()).isZero();
        assertThat(c.failShare()).isEqualTo(0.2);
        assertThat(c.rebootDowntimeMs()).isEqualTo(500);
        assertThat(c.pollSeconds()).isEqualTo(2);
        assertThat(c.group()).isEqualTo("fleet");
        assertThat(c.operations()).isTrue();
    }

    @Test
    void shouldRefuseAFailShareOutsideZeroToOne() {
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--token", "t", "--fail-share", "1.2"}))
                .hasMessageContaining("--fail-share must be between 0 and 1");
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--token", "t", "--fail-share", "many"}))
                .hasMessageContaining("--fail-share expects a number");
    }

    @Test
    void shouldRefuseAnOperationsFlagThatIsNeitherOnNorOff() {
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--token", "t", "--operations", "maybe"}))
                .hasMessageContaining("on or off");
    }

    @Test
    void shouldDeclareTheFeaturesTheDevicesRun() {
        var type = ApiClient.deviceType("sim-sensor");

        assertThat(type.path("features").findValuesAsText("code")).containsExactly("reboot", "set-interval", "buzz");
        assertThat(type.path("features").get(1).path("params").path("properties").path("interval").path("type")
                .asText()).isEqualTo("integer");
    }

    @Test
    void shouldLetADeviceWithAnIntervalPublishOncePerInterval() {
        DeviceStates states = new DeviceStates(1);
        states.setInterval(0, java.time.Duration.ofSeconds(2));

        assertThat(states.takeTurn(0, 10_000_000_000L)).isTrue();
        assertThat(states.takeTurn(0, 11_000_000_000L)).isFalse();
        assertThat(states.takeTurn(0, 12_000_000_000L)).isTrue();
        states.offline(0, true);
        assertThat(states.takeTurn(0, 20_000_000_000L)).isFalse();
    }
}
