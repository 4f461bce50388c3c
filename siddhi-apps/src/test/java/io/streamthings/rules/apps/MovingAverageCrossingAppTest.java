package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readings are whole numbers, so both averages are exact sums divided once: equal averages compare equal. Comments
 * give (short average, long average) after each reading.
 */
class MovingAverageCrossingAppTest {

    private final PlaybackRun run = PlaybackRun.of("moving-average-crossing");
    private long clock;

    @AfterEach
    void close() {
        run.close();
    }

    private MovingAverageCrossingAppTest readings(String deviceId, double... temperatures) {
        for (double temperature : temperatures) {
            clock += 1_000;
            run.reading(deviceId, clock, temperature);
        }
        return this;
    }

    private MovingAverageCrossingAppTest flat(String deviceId, int count, double temperature) {
        for (int i = 0; i < count; i++) {
            readings(deviceId, temperature);
        }
        return this;
    }

    @Test
    void shouldAlertOnceWhenTheShortAverageCrossesAboveTheLongOne() {
        flat("a", 20, 50.0) // (50, 50): both windows full, equal
                .readings("a", 40.0) // (48, 49.5): below
                .readings("a", 60.0) // (50, 50): touching
                .readings("a", 70.0); // (54, 51): above: the crossing
        long crossingTs = clock;
        readings("a", 70.0, 70.0, 70.0); // still above: no further alert

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.doubleValue("temperature"),
                        a -> a.doubleValue("shortAverage"), a -> a.doubleValue("longAverage"))
                .containsExactly(tuple("a", crossingTs, 70.0, 54.0, 51.0));
    }

    @Test
    void shouldNotAlertWhenTheShortAverageTouchesAndTurnsBack() {
        flat("a", 20, 50.0)
                .readings("a", 40.0) // (48, 49.5): below
                .readings("a", 60.0) // (50, 50): touches from below
                .readings("a", 30.0); // (46, 49): below again
        assertThat(run.alerts()).isEmpty();

        // From above: (52, 50.5), touch (50, 50), above again (54, 51): never was below, so no crossing
        clock = 100_000;
        flat("b", 20, 50.0).readings("b", 60.0, 40.0, 70.0);
        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldNotAlertWhenTheShortAverageRisesAboveByNoMoreThanTheMinimumDistance() {
        flat("a", 20, 50.0)
                .readings("a", 40.0) // (48, 49.5): below
                .readings("a", 60.0) // (50, 50): touching
                .readings("a", 57.0); // (51.4, 50.35): above by 1.05, not more than 1.5
        assertThat(run.alerts()).isEmpty();

        readings("a", 57.0); // (52.8, 50.7): above by 2.1: the crossing
        assertThat(run.alerts()).extracting(a -> a.doubleValue("shortAverage")).containsExactly(52.8);
    }

    @Test
    void shouldWaitForTwentyReadingsBeforeComparing() {
        // 10 x 50, then 5 x 40 (short below long), then 90 (short above) on the 16th reading: windows not full
        flat("a", 10, 50.0).flat("a", 5, 40.0).readings("a", 90.0);

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldKeepEachDeviceAveragesApart() {
        // b's readings, far from a's, interleaved with a's: a's averages and crossing are as if b were absent
        for (int i = 0; i < 20; i++) {
            readings("a", 50.0).readings("b", 10.0);
        }
        readings("a", 40.0).readings("b", 100.0).readings("a", 60.0).readings("b", 100.0).readings("a", 70.0);

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, a -> a.doubleValue("shortAverage"),
                        a -> a.doubleValue("longAverage"))
                .containsExactly(tuple("a", 54.0, 51.0));
    }
}
