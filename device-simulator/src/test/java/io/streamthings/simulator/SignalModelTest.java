package io.streamthings.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalModelTest {

    @Test
    void shouldBeRepeatableForASeed() {
        SignalModel a = new SignalModel(7, 0.01, 0);
        SignalModel b = new SignalModel(7, 0.01, 0);
        for (long t = 0; t < 100_000; t += 1_000) {
            assertThat(a.readings(t)).isEqualTo(b.readings(t));
        }
    }

    @Test
    void shouldFollowADailyCycleAroundItsBase() {
        SignalModel model = new SignalModel(1, 0, 0);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (long t = 0; t < 86_400_000L; t += 600_000) {
            double v = model.readings(t).get("temperature");
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(max - min).isBetween(6.0, 12.0);
        assertThat((max + min) / 2).isBetween(15.0, 27.0);
    }

    @Test
    void shouldInjectAnomaliesAtRoughlyTheGivenRate() {
        SignalModel model = new SignalModel(3, 0.05, 0);
        for (int i = 0; i < 10_000; i++) {
            model.readings(i * 1_000L);
        }
        assertThat(model.anomalies()).isBetween(1_200L, 1_800L); // 3 metrics x 10,000 x 5 %
    }

    @Test
    void shouldWriteRecordsInThePlatformFormat() {
        String json = new SignalModel(1, 0, 0).recordJson(1_764_131_000_123L);
        assertThat(json).startsWith("{\"ts\":1764131000123,\"metrics\":{\"temperature\":")
                .contains("\"humidity\":", "\"pressure\":");
        assertThat(new io.streamthings.common.telemetry.TelemetryCodec().decode(json, 1_764_131_000_123L).metrics())
                .containsOnlyKeys("temperature", "humidity", "pressure");
    }

    @Test
    void shouldRefuseTargetsOffThisMachineAndUnboundedRuns() {
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--api", "http://example.com/api/v1",
                "--password", "x"})).hasMessageContaining("--api must point at this machine");
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--devices", "100000", "--password", "x"}))
                .hasMessageContaining("--devices must be between 1 and 10000");
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--duration", "99999", "--password", "x"}))
                .hasMessageContaining("--duration");
        SimulatorConfig ok = SimulatorConfig.parse(new String[] {"--token", "t", "--transport=http", "--batch",
                "100"});
        assertThat(ok.transport()).isEqualTo("http");
        assertThat(ok.batchSize()).isEqualTo(100);
        assertThat(Map.of("api", ok.apiUrl().toString())).containsEntry("api", "http://localhost:8080/api/v1");
    }
}
