package io.streamthings.flink.predictive;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.prediction.PredictionPoint;
import io.streamthings.flink.predictive.model.ModelParams;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PredictFunctionTest {

    private static final long MIN = 60_000L;
    private static final long T0 = 1_764_547_200_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, Reading, PredictionPoint> harness;

    @BeforeEach
    void setUp() throws Exception {
        PredictFunction function = new PredictFunction(ModelParams.DEFAULTS, 2, 0, 10 * MIN,
                Map.of("thermo/temperature", new double[] {Double.NaN, 90.0}), 30L * 86_400_000L);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function),
                Reading::seriesKey, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(String device, String metric, long ts, double value) throws Exception {
        harness.processElement(new StreamRecord<>(new Reading("acme", "thermo", device, metric, ts, value), ts));
    }

    private List<PredictionPoint> predictions() {
        return harness.extractOutputValues();
    }

    private List<AlertEvent> alerts() {
        var side = harness.getSideOutput(PredictFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void shouldForecastTheNextReadingsMadeBeforeTheirTimeAndAlertOnceOnASpike() throws Exception {
        // Given a noisy series of a device, one reading a minute, with a spike late in it
        Random random = new Random(11);
        for (int i = 0; i < 400; i++) {
            double value = i == 350 ? 45.0 : 20 + random.nextGaussian();
            send("d1", "temperature", T0 + i * MIN, value);
        }

        // Then two forecasts per reading, one and two steps ahead, made at the reading's time
        List<PredictionPoint> points = predictions();
        assertThat(points).hasSize(800);
        assertThat(points).allSatisfy(p -> {
            assertThat(p.madeAt()).isLessThan(p.ts());
            assertThat(p.lower()).isLessThanOrEqualTo(p.forecast());
            assertThat(p.upper()).isGreaterThanOrEqualTo(p.forecast());
            assertThat(p.model()).isEqualTo("holt");
        });
        PredictionPoint last = points.get(points.size() - 1);
        assertThat(last.ts() - last.madeAt()).isEqualTo(2 * MIN);
        assertThat(last.forecast()).isBetween(18.0, 22.0);
        // and the spike's score is high, and it is the one alert, in the rules service's form
        PredictionPoint atSpike = points.get(2 * 350);
        assertThat(atSpike.madeAt()).isEqualTo(T0 + 350 * MIN);
        assertThat(atSpike.anomalyScore()).isGreaterThan(6.0);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("anomaly");
            assertThat(a.source()).isEqualTo("flink");
            assertThat(a.deviceId()).isEqualTo("d1");
            assertThat(a.ts()).isEqualTo(T0 + 350 * MIN);
            assertThat(a.values()).containsKeys("expected", "actual", "score").containsEntry("actual", 45.0)
                    .containsEntry("kind", "spike").containsEntry("metric", "temperature");
            assertThat((Double) a.values().get("expected")).isBetween(18.0, 22.0);
        });
    }

    @Test
    void shouldNotAlarmOnAFlatSignal() throws Exception {
        for (int i = 0; i < 500; i++) {
            send("flat", "temperature", T0 + i * MIN, i % 50 == 0 ? 20.0004 : 20.0);
        }
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldKeepOneModelPerSeriesAndEstimateTheTimeToTheTypesMaximum() throws Exception {
        // Given a rising temperature (limit 90 known for the type) and a flat humidity (no limit known) of one device
        for (int i = 0; i < 300; i++) {
            send("d2", "temperature", T0 + i * MIN, 50 + 0.1 * i);
            send("d2", "humidity", T0 + i * MIN, 40);
        }
        List<PredictionPoint> points = predictions();
        PredictionPoint temperature = points.stream().filter(p -> p.metric().equals("temperature"))
                .reduce((a, b) -> b).orElseThrow();
        PredictionPoint humidity = points.stream().filter(p -> p.metric().equals("humidity"))
                .reduce((a, b) -> b).orElseThrow();
        // The level is near 80 at the end, rising 0.1 a minute: 90 is about 100 minutes away.
        assertThat(temperature.thresholdEtaMs()).isNotNull();
        assertThat(temperature.thresholdEtaMs() / (double) MIN).isBetween(90.0, 110.0);
        assertThat(temperature.forecast()).isBetween(79.0, 81.0);
        assertThat(humidity.thresholdEtaMs()).isNull();
        assertThat(humidity.forecast()).isEqualTo(40.0);
        // A noiseless steady climb away from its long-run level alarms (mostly as a drift); the flat humidity never.
        assertThat(alerts()).isNotEmpty().allSatisfy(a -> assertThat(a.values()).containsEntry("metric",
                "temperature"));
        assertThat(alerts()).anySatisfy(a -> assertThat(a.values()).containsEntry("kind", "drift"));
        // Two models, one alert time (the humidity never alerted).
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
    }
}
