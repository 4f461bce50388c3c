package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SiteOverheatAppTest {

    private final PlaybackRun run = PlaybackRun.of("site-overheat");

    @AfterEach
    void close() {
        run.close();
    }

    private SiteOverheatAppTest reading(String site, String deviceId, long ts, double temperature) {
        run.send(Map.of("deviceId", deviceId, "site", site, "ts", ts, "temperature", temperature));
        return this;
    }

    @Test
    void shouldAlertOnceWhenThreeOfFiveDevicesOfASiteAreHot() {
        reading("A", "d1", 0, 90.0)
                .reading("A", "d2", 1_000, 20.0)
                .reading("A", "d3", 2_000, 86.0) // 2 hot of 3
                .reading("A", "d4", 3_000, 20.0)
                .reading("A", "d5", 4_000, 87.0) // 3 hot of 5: fires
                .reading("A", "d1", 5_000, 91.0) // still 3 of 5: no second alert
                .reading("A", "d6", 6_000, 20.0); // 3 of 6 (exactly half): still overheated, no second alert

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.get("site"),
                        a -> a.get("hotDevices"), a -> a.get("devicesSeen"), a -> a.doubleValue("temperature"),
                        a -> a.get("severity"))
                .containsExactly(tuple("d5", 4_000L, "A", 3L, 5L, 87.0, "critical"));
    }

    @Test
    void shouldNotAlertOnTwoHotDevicesHoweverOftenTheyReport() {
        for (long t = 0; t < 50_000; t += 5_000) {
            reading("A", "d1", t, 95.0).reading("A", "d2", t + 1, 96.0);
        }

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldAlertOnlyWhenTheHotDevicesAreAtLeastHalfOfTheSite() {
        // Site A: 3 hot of 7 (less than half); site B: 3 hot of 6 (exactly half)
        for (int i = 4; i <= 7; i++) {
            reading("A", "a" + i, i * 100L, 20.0);
        }
        for (int i = 4; i <= 6; i++) {
            reading("B", "b" + i, 1_000 + i * 100L, 20.0);
        }
        for (int i = 1; i <= 3; i++) {
            reading("A", "a" + i, 2_000 + i * 100L, 90.0).reading("B", "b" + i, 3_000 + i * 100L, 90.0);
        }

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, a -> a.get("site"), a -> a.get("hotDevices"),
                        a -> a.get("devicesSeen"))
                .containsExactly(tuple("b3", "B", 3L, 6L));
    }

    @Test
    void shouldNotMixSites() {
        // 2 hot devices at A and 1 at B: 3 hot devices in all, but no site has 3
        reading("A", "a1", 0, 90.0).reading("B", "b1", 100, 90.0).reading("A", "a2", 200, 90.0)
                .reading("B", "b1", 300, 91.0);

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldForgetReadingsOlderThanOneMinute() {
        reading("A", "d1", 0, 90.0)
                .reading("A", "d2", 30_000, 90.0)
                .reading("A", "d3", 60_000, 90.0) // d1's reading is 60 s old: out of the window, 2 hot
                .reading("A", "d4", 61_000, 90.0); // d2, d3, d4: 3 hot of 3

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.get("hotDevices"),
                        a -> a.get("devicesSeen"))
                .containsExactly(tuple("d4", 61_000L, 3L, 3L));
    }

    @Test
    void shouldAlertAgainAfterTheSiteCleared() {
        reading("A", "d1", 0, 90.0).reading("A", "d2", 100, 90.0).reading("A", "d3", 200, 90.0) // 3 of 3: fires
                .reading("A", "d4", 300, 20.0).reading("A", "d5", 400, 20.0)
                .reading("A", "d6", 500, 20.0).reading("A", "d7", 600, 20.0) // 3 of 7: cleared
                .reading("A", "d4", 700, 90.0); // 4 of 7: fires again

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.get("hotDevices"),
                        a -> a.get("devicesSeen"))
                .containsExactly(tuple("d3", 200L, 3L, 3L), tuple("d4", 700L, 4L, 7L));
    }
}
