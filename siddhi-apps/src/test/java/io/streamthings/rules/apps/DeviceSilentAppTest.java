package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In playback, Siddhi's clock only moves when an event arrives, so these tests move it with readings of another
 * device (a heartbeat) until the last test, which lets the playback clock tick on its own with {@code idle.time}.
 */
class DeviceSilentAppTest {

    private final PlaybackRun run = PlaybackRun.of("device-silent");

    @AfterEach
    void close() {
        run.close();
    }

    private PlaybackRun heartbeat(String deviceId, long ts) {
        return run.send(Map.of("deviceId", deviceId, "ts", ts));
    }

    @Test
    void shouldDeclareNoMetricSoEveryRecordCounts() {
        assertThat(run.telemetryAttributeNames()).containsExactly("deviceId", "ts");
    }

    @Test
    void shouldAlertOnceWhenADeviceIsSilentForThirtySeconds() {
        // Given a reports at 0 and 10 s, then stops; b keeps reporting every 10 s and so moves the clock
        heartbeat("a", 0);
        heartbeat("a", 10_000);
        for (long t = 15_000; t < 39_999; t += 10_000) {
            heartbeat("b", t);
        }
        heartbeat("b", 39_999);
        // Then nothing yet 29.999 s after a's last reading
        assertThat(run.alerts()).isEmpty();

        // When the clock reaches 40 s, and keeps going for a while
        heartbeat("b", 40_000);
        for (long t = 45_000; t <= 120_000; t += 5_000) {
            heartbeat("b", t);
        }

        // Then exactly one alert, for a, at its last reading + 30 s
        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.get("lastSeenTs"),
                        a -> a.get("severity"))
                .containsExactly(tuple("a", 40_000L, 10_000L, "warning"));
    }

    @Test
    void shouldNotAlertWhenTheGapIsJustShorterThanThirtySeconds() {
        heartbeat("a", 0);
        heartbeat("a", 29_999);
        heartbeat("a", 59_998);
        heartbeat("a", 89_997);
        heartbeat("b", 119_996); // a: 29.999 s since its last reading

        assertThat(run.alerts()).isEmpty();
    }

    @Test
    void shouldAlertAgainAfterTheDeviceCameBackAndFellSilentAgain() {
        heartbeat("a", 0);
        heartbeat("b", 20_000);
        heartbeat("b", 40_000); // a silent since 0: alert at 30 s
        heartbeat("b", 60_000); // b silent since 40 s: not yet
        heartbeat("a", 65_000); // a is back
        heartbeat("b", 85_000);
        heartbeat("b", 100_000); // a silent since 65 s: alert at 95 s; b's silences stay under 30 s

        assertThat(run.alerts())
                .extracting(PlaybackRun.Alert::deviceId, PlaybackRun.Alert::ts, a -> a.get("lastSeenTs"))
                .containsExactly(tuple("a", 30_000L, 0L), tuple("a", 95_000L, 65_000L));
    }

    @Test
    void shouldFireWithoutFurtherTrafficWhenThePlaybackClockIdles() {
        // The same app with Siddhi's idle playback clock: after 50 ms (wall clock) without events, time moves on 10 s.
        try (PlaybackRun idling =
                PlaybackRun.of("device-silent", "@app:playback(idle.time = '50 millisecond', increment = '10 sec')")) {
            idling.send(Map.of("deviceId", "a", "ts", 1_000L));

            await().atMost(Duration.ofSeconds(10)).until(() -> !idling.alerts().isEmpty());
            assertThat(idling.alerts())
                    .extracting(PlaybackRun.Alert::deviceId, a -> a.get("lastSeenTs"))
                    .containsExactly(tuple("a", 1_000L));
            // the absence timer fires at its deadline, last reading + 30 s, whatever the increment
            assertThat(idling.alerts().get(0).ts()).isEqualTo(31_000L);
        }
    }
}
