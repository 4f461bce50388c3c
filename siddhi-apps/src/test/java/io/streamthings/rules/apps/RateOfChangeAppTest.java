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
    void shouldAlertWhenTheRiseBetweenConsecutiveReadingsExceedsFiveDegreesPerMinute() {
        run.reading("a", 0, 20.0)
                .reading("a", 60_000, 26.0) // +6 in 1 min: fires, 6/min
                .reading("a", 90_000, 28.6) // +2.6 in 30 s = 5.2/min: fires (rate from the ts delta)
                .reading("a", 150_000, 33.5); // +4.9 in 1 min: just under

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.doubleValue("temperature"),
                        a -> a.doubleValue("previousTemperature"), a -> a.get("previousTs"))
                .containsExactly(tuple("a", 60_000L, 26.0, 20.0, 0L), tuple("a", 90_000L, 28.6, 26.0, 60_000L));
        assertThat(run.alerts().get(0).doubleValue("degreesPerMinute")).isCloseTo(6.0, within(1e-9));
        assertThat(run.alerts().get(1).doubleValue("degreesPerMinute")).isCloseTo(5.2, within(1e-9));
    }

    @Test
    void shouldNotAlertAtExactlyTheRateOrBelowOrOnAFall() {
        run.reading("a", 0, 20.0)
                .reading("a", 60_000, 25.0) // exactly 5/min: not faster than
                .reading("a", 120_000, 29.9) // 4.9/min
                .reading("a", 130_000, 10.0) // falling fast
                .reading("a", 190_000, 14.0); // 4/min

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldSkipAPairWithAZeroTimeDelta() {
        // A duplicate ts with a big jump is not compared (no division by zero, no alert, no error) ...
        run.reading("a", 0, 20.0).reading("a", 0, 90.0);
        assertThat(run.alerts()).isEmpty();

        // ... and the following pair is compared again: 90 -> 97 in 1 min
        run.reading("a", 60_000, 97.0);
        assertThat(run.alerts()).extracting(PlaybackRun.Alert::ts, a -> a.doubleValue("previousTemperature"))
                .containsExactly(tuple(60_000L, 90.0));
    }

    @Test
    void shouldCompareOnlyReadingsOfTheSameDevice() {
        // Interleaved: b's 50 between a's readings must not be a's "previous", and a's 20 not b's
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
