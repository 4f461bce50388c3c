package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NInARowAppTest {

    private final PlaybackRun run = PlaybackRun.of("n-in-a-row");

    @AfterEach
    void close() {
        run.close();
    }

    @Test
    void shouldAlertOnThreeConsecutiveHotReadingsWithTheirValues() {
        run.reading("a", 1_000, 70.0).reading("a", 2_000, 76.0).reading("a", 3_000, 77.0).reading("a", 4_000, 78.0);

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.get("firstTs"),
                        a -> a.doubleValue("temperature1"), a -> a.doubleValue("temperature2"),
                        a -> a.doubleValue("temperature3"))
                .containsExactly(tuple("a", 4_000L, 2_000L, 76.0, 77.0, 78.0));
        assertThat(run.alerts().get(0).get("severity")).isEqualTo("warning");
    }

    @Test
    void shouldNotAlertWhenACoolReadingBreaksTheRun() {
        // Given 2 hot, one at exactly the limit (not above it), 2 hot, one cool, 2 hot
        run.reading("a", 1_000, 80.0).reading("a", 2_000, 80.0)
                .reading("a", 3_000, 75.0)
                .reading("a", 4_000, 80.0).reading("a", 5_000, 80.0)
                .reading("a", 6_000, 60.0)
                .reading("a", 7_000, 80.0).reading("a", 8_000, 80.0);

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldAlertOnlyWhenTheRunFitsInOneMinute() {
        // a: first to third exactly 60 s apart (inside); b: 60.001 s apart (outside)
        run.reading("a", 0, 80.0).reading("a", 30_000, 81.0).reading("a", 60_000, 82.0)
                .reading("b", 100_000, 80.0).reading("b", 130_000, 81.0).reading("b", 160_001, 82.0);

        assertThat(run.alerts()).extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts)
                .containsExactly(tuple("a", 60_000L));
    }

    @Test
    void shouldKeepDevicesRunsApartWhenInterleaved() {
        // a's run is not broken by b's cool readings, and b's hot readings do not count for a
        run.reading("a", 1_000, 80.0)
                .reading("b", 1_100, 50.0)
                .reading("b", 1_200, 90.0)
                .reading("a", 2_000, 81.0)
                .reading("b", 2_100, 91.0)
                .reading("c", 2_200, 99.0)
                .reading("a", 3_000, 82.0) // a: third hot in a row
                .reading("b", 3_100, 40.0); // b: only 2 hot, then cool

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.doubleValue("temperature1"),
                        a -> a.doubleValue("temperature3"))
                .containsExactly(tuple("a", 3_000L, 80.0, 82.0));
    }

    @Test
    void shouldAlertAgainOnEachFurtherHotReadingOfALongRun() {
        // 4 hot in a row: readings 1-3 and 2-4 each end 3 in a row (documented in the app)
        run.reading("a", 1_000, 76.0).reading("a", 2_000, 77.0).reading("a", 3_000, 78.0).reading("a", 4_000, 79.0);

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::ts, a -> a.doubleValue("temperature1"),
                        a -> a.doubleValue("temperature3"))
                .containsExactly(tuple(3_000L, 76.0, 78.0), tuple(4_000L, 77.0, 79.0));
    }
}
