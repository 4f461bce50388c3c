package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platform snapshots a running rule and restores it elsewhere (RuleInstance.snapshot/restore). For every shipped
 * app: a run cut in two by a snapshot and a restore into a fresh runtime emits exactly what an uninterrupted run emits,
 * so half-matched sequences, absence timers, windows, tables and per-partition state all survive.
 */
class SnapshotRestoreTest {

    static Stream<String> appNames() {
        return ShippedApps.all().stream().map(ShippedApp::name);
    }

    /** A seeded random walk of 6 devices on 2 sites, hot and cool spells, fast rises and some 40 s silences. */
    private static List<Map<String, Object>> telemetry() {
        Random random = new Random(42);
        String[] devices = {"d0", "d1", "d2", "d3", "d4", "d5"};
        double[] temperature = {70, 72, 74, 76, 78, 80};
        List<Map<String, Object>> events = new ArrayList<>();
        long ts = 0;
        for (int i = 0; i < 1_500; i++) {
            int d = random.nextInt(devices.length);
            ts += 200 + random.nextInt(2_000);
            if (random.nextInt(100) == 0) {
                ts += 40_000;
            }
            temperature[d] = Math.max(50, Math.min(100, temperature[d] + random.nextInt(17) - 8));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("deviceId", devices[d]);
            event.put("site", d < 4 ? "A" : "B");
            event.put("ts", ts);
            event.put("temperature", temperature[d]);
            events.add(event);
        }
        return events;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appNames")
    void shouldEmitTheSameAlertsAfterASnapshotAndRestore(String appName) {
        List<Map<String, Object>> events = telemetry();
        List<PlaybackRun.Alert> uninterrupted;
        try (PlaybackRun run = PlaybackRun.of(appName)) {
            events.forEach(run::send);
            uninterrupted = run.alerts();
        }

        int cut = events.size() / 2;
        List<PlaybackRun.Alert> resumed = new ArrayList<>();
        byte[] snapshot;
        try (PlaybackRun first = PlaybackRun.of(appName)) {
            events.subList(0, cut).forEach(first::send);
            resumed.addAll(first.alerts());
            snapshot = first.snapshot();
        }
        try (PlaybackRun second = PlaybackRun.of(appName).restore(snapshot)) {
            events.subList(cut, events.size()).forEach(second::send);
            resumed.addAll(second.alerts());
        }

        assertThat(uninterrupted).as("the data set makes %s fire", appName).hasSizeGreaterThan(1);
        assertThat(resumed).containsExactlyElementsOf(uninterrupted);
    }
}
