package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThresholdHysteresisAppTest {

    private final PlaybackRun run = PlaybackRun.of("threshold-hysteresis");

    @AfterEach
    void close() {
        run.close();
    }

    @Test
    void shouldAlertOnRiseAboveHighAndAgainOnlyAfterFallingBelowLow() {
        // Given a device that rises above 80, dips into the band (75, then exactly 70), falls below 70, touches 80
        run.reading("a", 1_000, 65.0)
                .reading("a", 2_000, 81.0) // fires: armed, above 80
                .reading("a", 3_000, 90.0) // still high: disarmed
                .reading("a", 4_000, 75.0) // dip into the band: does not re-arm
                .reading("a", 5_000, 85.0)
                .reading("a", 6_000, 70.0) // exactly LOW is not below it: does not re-arm
                .reading("a", 7_000, 85.0)
                .reading("a", 8_000, 69.9) // re-arms
                .reading("a", 9_000, 80.0) // exactly HIGH is not above it
                .reading("a", 10_000, 80.5); // fires again

        // Then exactly two alerts, on the readings that rose above 80 while armed
        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.doubleValue("temperature"))
                .containsExactly(tuple("a", 2_000L, 81.0), tuple("a", 10_000L, 80.5));
        assertThat(run.alerts().get(0).get("severity")).isEqualTo("critical");
        assertThat(run.alerts().get(0).get("message")).isEqualTo("temperature rose above 80 (re-arms below 70)");
    }

    @Test
    void shouldAlertWhenTheFirstReadingOfADeviceIsAlreadyHigh() {
        run.reading("a", 1_000, 95.0).reading("a", 2_000, 96.0);

        assertThat(run.alerts()).extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts)
                .containsExactly(tuple("a", 1_000L));
    }

    @Test
    void shouldKeepEachDeviceArmedStateApart() {
        // Given a and b both alerting, then only b falling below 70, interleaved
        run.reading("a", 1_000, 85.0) // a fires
                .reading("b", 1_500, 86.0) // b fires (a's disarm does not affect b)
                .reading("b", 2_000, 60.0) // re-arms b only
                .reading("a", 2_500, 88.0) // a still disarmed
                .reading("b", 3_000, 87.0); // b fires again

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.doubleValue("temperature"))
                .containsExactly(tuple("a", 1_000L, 85.0), tuple("b", 1_500L, 86.0), tuple("b", 3_000L, 87.0));
    }

    @Test
    void shouldNotAlertWhileTheValueStaysInTheBand() {
        run.reading("a", 1_000, 70.0).reading("a", 2_000, 75.0).reading("a", 3_000, 80.0).reading("a", 4_000, 79.9);

        assertThat(run.alerts()).isEmpty();
    }
}
