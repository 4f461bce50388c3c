package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateOfChangeAppTest {

    private final PlaybackRun run = PlaybackRun.of("rate-of-change");

    @AfterEach
    void close() {
        run.close();
    }

    @Test
    void shouldAlertWhenTheRiseOverAMinuteFromTheBaselineExceedsFiveDegreesPerMinute() {
        run.reading("a", 0, 20.0) // the baseline
                .reading("a", 30_000, 24.0) // under a minute: not measured
                .reading("a", 60_000, 26.0) // +6 in 1 min: fires, 6/min; the new baseline
                .reading("a", 150_000, 34.0) // +8 in 1.5 min = 5.33/min: fires
                .reading("a", 210_000, 38.9); // +4.9 in 1 min: just under

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.doubleValue("temperature"),
                        a -> a.doubleValue("previousTemperature"), a -> a.get("previousTs"))
                .containsExactly(tuple("a", 60_000L, 26.0, 20.0, 0L), tuple("a", 150_000L, 34.0, 26.0, 60_000L));
        assertThat(run.alerts().get(0).doubleValue("degreesPerMinute")).isCloseTo(6.0, within(1e-9));
        assertThat(run.alerts().get(1).doubleValue("degreesPerMinute")).isCloseTo(16.0 / 3, within(1e-9));
    }

    @Test
    void shouldNotAlertOnAJumpBetweenReadingsThatTheMinuteDoesNotSustain() {
        // One reading a second: noise and a single spike are steep between neighbours, not over the minute.
        run.reading("a", 0, 20.0);
        for (int s = 1; s <= 120; s++) {
            double noise = (s % 2 == 0 ? 0.4 : -0.4);
            run.reading("a", s * 1_000L, 20.0 + noise + (s == 45 ? 3.6 : 0.0));
        }

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldNotAlertAtExactlyTheRateOrBelowOrOnAFall() {
        run.reading("a", 0, 20.0)
                .reading("a", 60_000, 25.0) // exactly 5/min: not faster than
                .reading("a", 120_000, 29.9) // 4.9/min
                .reading("a", 180_000, 10.0) // falling fast
                .reading("a", 240_000, 14.0); // 4/min

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldReplaceABaselineThatIsTooOldOrNewerThanTheReadingWithoutComparing() {
        run.reading("a", 0, 20.0)
                .reading("a", 3_700_000, 90.0) // over an hour later: no rate, the new baseline
                .reading("a", 3_600_000, 40.0) // the clock went back: no rate, the new baseline
                .reading("a", 3_660_000, 47.0); // +7 in 1 min from 40: fires

        assertThat(run.alerts()).extracting(PlaybackRun.Alert::ts, a -> a.doubleValue("previousTemperature"))
                .containsExactly(tuple(3_660_000L, 40.0));
    }

    @Test
    void shouldCompareOnlyReadingsOfTheSameDevice() {
        // Interleaved: b's 50 between a's readings must not be a's baseline, and a's 20 not b's
        run.reading("a", 0, 20.0)
                .reading("b", 10_000, 50.0)
                .reading("a", 60_000, 24.0) // a: +4/min
                .reading("b", 70_000, 56.0) // b: +6/min: fires for b only
                .reading("a", 120_000, 28.0); // a: +4/min

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts,
                        a -> a.doubleValue("previousTemperature"))
                .containsExactly(tuple("b", 70_000L, 50.0));
    }
}
