package io.streamthings.common.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PredictionPointTest {

    @Test
    void shouldKeepAForecastWithoutScoreOrThreshold() {
        PredictionPoint p = new PredictionPoint("acme", "d-1", "temperature", 2_000L, 1_000L, "ewma", 21.5, 20, 23,
                null, null);

        assertThat(p.anomalyScore()).isNull();
        assertThat(p.thresholdEtaMs()).isNull();
        assertThat(p.kafkaKey()).isEqualTo("acme/d-1");
    }

    @Test
    void shouldRefuseABandThatDoesNotHoldTheForecast() {
        assertThatThrownBy(() -> point("temperature", "ewma", 21.5, 22, 23, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower <= forecast <= upper");
        assertThatThrownBy(() -> point("temperature", "ewma", 21.5, 20, 21, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower <= forecast <= upper");
    }

    @Test
    void shouldRefuseNumbersInfluxCannotStore() {
        assertThatThrownBy(() -> point("temperature", "ewma", Double.NaN, 20, 23, null, null))
                .hasMessageContaining("forecast must be a finite number");
        assertThatThrownBy(() -> point("temperature", "ewma", 21, Double.NEGATIVE_INFINITY, 23, null, null))
                .hasMessageContaining("lower must be a finite number");
        assertThatThrownBy(() -> point("temperature", "ewma", 21, 20, 23, Double.NaN, null))
                .hasMessageContaining("anomalyScore must be a finite number");
        assertThatThrownBy(() -> point("temperature", "ewma", 21, 20, 23, -0.5, null))
                .hasMessageContaining("anomalyScore must not be negative");
        assertThatThrownBy(() -> point("temperature", "ewma", 21, 20, 23, null, -1L))
                .hasMessageContaining("thresholdEtaMs must not be negative");
    }

    @Test
    void shouldRefuseNamesThatAreNotMetricNames() {
        assertThatThrownBy(() -> point("temp erature", "ewma", 21, 20, 23, null, null))
                .hasMessageContaining("metric: expected 1 to 256 of A-Z");
        assertThatThrownBy(() -> point("temperature", "holt winters", 21, 20, 23, null, null))
                .hasMessageContaining("model: expected");
        assertThatThrownBy(() -> point("", "ewma", 21, 20, 23, null, null)).hasMessageContaining("metric must not");
        assertThatThrownBy(() -> new PredictionPoint("acme", "d-1\nx", "t", 1, 1, "ewma", 1, 1, 1, null, null))
                .hasMessageContaining("deviceId must not hold a line break");
        assertThatThrownBy(() -> new PredictionPoint(null, "d-1", "t", 1, 1, "ewma", 1, 1, 1, null, null))
                .isInstanceOf(NullPointerException.class);
    }

    private static PredictionPoint point(String metric, String model, double forecast, double lower, double upper,
            Double score, Long eta) {
        return new PredictionPoint("acme", "d-1", metric, 2_000L, 1_000L, model, forecast, lower, upper, score, eta);
    }
}
