package io.streamthings.flink.predictive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.flink.predictive.PredictiveJobConfig.Option;
import org.junit.jupiter.api.Test;

class PredictiveJobConfigTest {

    @Test
    void shouldStartFromDefaultsThatWorkInStandaloneMode() {
        PredictiveJobConfig c = PredictiveJobConfig.parse();
        assertThat(c.get(Option.TOPIC_RAW)).isEqualTo("telemetry.raw");
        assertThat(c.get(Option.TOPIC_ALERTS)).isEqualTo("alerts");
        assertThat(c.getLong(Option.FORECAST_POINTS)).isEqualTo(1);
        assertThat(c.thresholds()).isEmpty();
        assertThat(c.optional(Option.CHECKPOINT_DIR)).isEmpty();
        assertThat(PredictiveJobConfig.usage()).contains("--thresholds");
    }

    @Test
    void shouldParseThresholdsWithEitherBoundLeftOut() {
        PredictiveJobConfig c = PredictiveJobConfig.parse("--thresholds", "thermo/temperature=-10:90,pump/bar=:8");
        assertThat(c.thresholds().get("thermo/temperature")).containsExactly(-10.0, 90.0);
        assertThat(c.thresholds().get("pump/bar")[0]).isNaN();
        assertThat(c.thresholds().get("pump/bar")[1]).isEqualTo(8.0);
    }

    @Test
    void shouldRefuseBadValuesNamingTheOption() {
        assertThatThrownBy(() -> PredictiveJobConfig.parse("--thresholds", "temperature=1:2"))
                .hasMessageContaining("--thresholds");
        assertThatThrownBy(() -> PredictiveJobConfig.parse("--thresholds", "a/b=5:1"))
                .hasMessageContaining("min must be below max");
        assertThatThrownBy(() -> PredictiveJobConfig.parse("--forecast.points", "0"))
                .hasMessageContaining("--forecast.points");
        assertThatThrownBy(() -> PredictiveJobConfig.parse("--anomaly.z", "high"))
                .hasMessageContaining("--anomaly.z");
        assertThatThrownBy(() -> PredictiveJobConfig.parse("--nope", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> PredictiveJobConfig.parse("--parallelism")).hasMessageContaining("needs a value");
    }
}
