package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamthings.common.influx.WindowSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollupsTest {

    private static final long HOUR = 3_600_000L;

    private static RollupWindow minute(long start, double... readings) {
        double sum = Arrays.stream(readings).sum();
        return new RollupWindow("acme", "thermo", "d1", "temperature", start, readings.length,
                Arrays.stream(readings).min().orElseThrow(), Arrays.stream(readings).max().orElseThrow(), sum,
                readings[readings.length - 1], start + readings.length * 1_000L, readings[0], start + 50_000);
    }

    @Test
    void shouldCombineCountsAndSumsExactlyNotMeansOfMeans() {
        // Given a minute of one reading and a minute of three
        RollupWindow a = minute(0, 10.0).withWindowStart(0);
        RollupWindow b = minute(60_000, 20.0, 20.0, 20.0).withWindowStart(0);

        // When rolled up
        RollupWindow r = Rollups.combine(a, b);

        // Then the mean is that of the four readings (17.5), not of the two means (15)
        assertThat(r.count()).isEqualTo(4);
        assertThat(r.sum()).isEqualTo(70.0);
        assertThat(r.mean()).isEqualTo(17.5);
        assertThat(r.min()).isEqualTo(10.0);
        assertThat(r.max()).isEqualTo(20.0);
        assertThat(r.windowStart()).isZero();
    }

    @Test
    void shouldTakeLastFromTheWindowWithTheLatestLastTsWhateverTheOrder() {
        RollupWindow early = minute(0, 1.0, 2.0).withWindowStart(0);
        RollupWindow late = minute(120_000, 7.0, 5.0).withWindowStart(0);

        assertThat(Rollups.combine(early, late).last()).isEqualTo(5.0);
        assertThat(Rollups.combine(late, early).last()).isEqualTo(5.0);
        assertThat(Rollups.combine(late, early).lastTs()).isEqualTo(late.lastTs());
        assertThat(Rollups.combine(early, late).maxReceivedAt()).isEqualTo(late.maxReceivedAt());
    }

    @Test
    void shouldEqualTheAggregatesOfTheRawReadingsInAnyCombinationOrder() {
        // Given 60 minute windows of random readings, and the same readings as one list
        Random random = new Random(42);
        List<RollupWindow> minutes = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            int n = 1 + random.nextInt(30);
            double[] readings = new double[n];
            for (int i = 0; i < n; i++) {
                readings[i] = Math.round(random.nextGaussian() * 1000) / 100.0;
                all.add(readings[i]);
            }
            minutes.add(minute(m * 60_000L, readings).withWindowStart(0));
        }

        // When combined in two different orders
        RollupWindow inOrder = minutes.stream().reduce(Rollups::combine).orElseThrow();
        Collections.shuffle(minutes, random);
        RollupWindow shuffled = minutes.stream().reduce(Rollups::combine).orElseThrow();

        // Then both equal the aggregates of the readings themselves
        for (RollupWindow r : List.of(inOrder, shuffled)) {
            assertThat(r.count()).isEqualTo(all.size());
            assertThat(r.sum()).isCloseTo(all.stream().mapToDouble(Double::doubleValue).sum(), within(1e-9));
            assertThat(r.min()).isEqualTo(all.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            assertThat(r.max()).isEqualTo(all.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            assertThat(r.last()).isEqualTo(all.get(all.size() - 1));
        }
        assertThat(shuffled.count()).isEqualTo(inOrder.count());
        assertThat(shuffled.last()).isEqualTo(inOrder.last());
        assertThat(shuffled.p95()).isEqualTo(inOrder.p95());
    }

    @Test
    void shouldKeepTheGreatestP95AndIgnoreAMissingOne() {
        RollupWindow a = new RollupWindow("t", "x", "d", "m", 0, 1, 1, 1, 1, 1, 1, Double.NaN, 1);
        RollupWindow b = new RollupWindow("t", "x", "d", "m", 0, 1, 2, 2, 2, 2, 2, 2.0, 2);
        assertThat(Rollups.combine(a, b).p95()).isEqualTo(2.0);
        assertThat(Rollups.combine(b, a).p95()).isEqualTo(2.0);
    }

    @Test
    void shouldRefuseToCombineWindowsOfDifferentSeries() {
        RollupWindow a = new RollupWindow("t", "x", "d1", "m", 0, 1, 1, 1, 1, 1, 1, 1, 1);
        RollupWindow b = new RollupWindow("t", "x", "d2", "m", 0, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThatThrownBy(() -> Rollups.combine(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different series");
    }

    @Test
    void shouldReadARowIntoTheTargetWindowThatHoldsIt() {
        Map<String, String> tags = Map.of("tenant", "acme", "deviceType", "thermo", "deviceId", "d1",
                "metric", "temperature");
        RollupWindow w = Rollups.fromRow(WindowSeries.HOUR, tags,
                List.of(5 * HOUR + 120_000.0, 3.0, 1.0, 4.0, 7.5, 2.5, 5 * HOUR + 150_000.0, 3.9, 5 * HOUR + 170_000.0));
        assertThat(w).isEqualTo(new RollupWindow("acme", "thermo", "d1", "temperature", 5 * HOUR, 3, 1.0, 4.0, 7.5,
                2.5, 5 * HOUR + 150_000, 3.9, 5 * HOUR + 170_000));
        assertThat(w.mean()).isEqualTo(2.5);
    }

    @Test
    void shouldSkipRowsWithoutReadingsAndRefuseRowsWithoutSeriesTags() {
        Map<String, String> tags = Map.of("tenant", "acme", "deviceType", "thermo", "deviceId", "d1",
                "metric", "temperature");
        List<Object> empty = Arrays.asList(0.0, 0.0, null, null, null, null, null, null, null);
        assertThat(Rollups.fromRow(WindowSeries.HOUR, tags, empty)).isNull();
        assertThatThrownBy(() -> Rollups.fromRow(WindowSeries.HOUR, Map.of("tenant", "acme"), empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceType");
    }

    @Test
    void shouldQueryTheFinerSeriesOfTheTargetWithinTheRange() {
        assertThat(Rollups.query(WindowSeries.MINUTE, 0, HOUR)).isEqualTo("SELECT \"count\",\"min\",\"max\",\"sum\","
                + "\"last\",\"lastTs\",\"p95\",\"maxReceivedAt\" FROM \"rp_1m\".\"telemetry_1m\" WHERE time >= 0ms "
                + "AND time < 3600000ms GROUP BY \"tenant\",\"deviceType\",\"deviceId\",\"metric\"");
        assertThat(Rollups.sourceOf(WindowSeries.DAY)).isEqualTo(WindowSeries.HOUR);
        assertThatThrownBy(() -> Rollups.sourceOf(WindowSeries.MINUTE)).isInstanceOf(IllegalArgumentException.class);
    }
}
