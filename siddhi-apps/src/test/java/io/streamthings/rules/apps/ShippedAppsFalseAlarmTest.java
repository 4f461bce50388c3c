package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.simulator.SignalModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays the device simulator's normal signal (its {@link SignalModel}, no injected anomalies) through every shipped
 * app at 1 and at 20 readings per device per second: an app must not alarm on more than 1 reading in 10,000. Then the
 * same signal with one device doing what the app is for, which must still fire, for that device only.
 */
class ShippedAppsFalseAlarmTest {

    private static final int DEVICES = 50;
    private static final long START = 1_764_000_000_000L;
    private static final double MAX_FALSE_ALARM_RATE = 1e-4;

    static Stream<Arguments> appsAndRates() {
        return ShippedApps.all().stream().map(ShippedApp::name)
                .flatMap(name -> Stream.of(Arguments.of(name, 1, 600), Arguments.of(name, 20, 60)));
    }

    @ParameterizedTest(name = "{0} at {1} readings/s")
    @MethodSource("appsAndRates")
    void shouldRarelyAlarmOnTheSimulatorsNormalSignal(String app, int perSecond, int seconds) {
        try (PlaybackRun run = PlaybackRun.of(app)) {
            long readings = play(run, app, perSecond, seconds, null);

            assertThat(readings).isGreaterThanOrEqualTo(30_000);
            assertThat((double) run.alerts().size() / readings)
                    .as("%s: %d alerts in %d readings: %s", app, run.alerts().size(), readings,
                            run.alerts().stream().limit(3).toList())
                    .isLessThan(MAX_FALSE_ALARM_RATE);
        }
    }

    static Stream<Arguments> anomalies() {
        // What each app is for, done by device sim-7 (site-overheat: every device of site-2, sim-7's site) from the
        // middle of the run on, on top of its normal signal.
        return Stream.of(
                Arguments.of("rate-of-change", (Anomaly) (t, v) -> v + 10.0 * t / 60_000.0), // 10 degrees a minute
                Arguments.of("moving-average-crossing", (Anomaly) (t, v) -> v + 4.0), // a step of 4 degrees
                Arguments.of("threshold-hysteresis", (Anomaly) (t, v) -> 120.0),
                Arguments.of("n-in-a-row", (Anomaly) (t, v) -> 120.0),
                Arguments.of("site-overheat", (Anomaly) (t, v) -> 120.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anomalies")
    void shouldStillFireOnTheAnomalyItIsForOnTopOfTheSignal(String app, Anomaly anomaly) {
        for (int perSecond : new int[] {1, 20}) {
            try (PlaybackRun run = PlaybackRun.of(app)) {
                play(run, app, perSecond, 300, anomaly);

                assertThat(run.alerts()).as("%s at %d readings/s", app, perSecond).isNotEmpty();
                String by = app.equals("site-overheat") ? "site" : "deviceId";
                assertThat(run.alerts()).as("%s at %d readings/s", app, perSecond)
                        .extracting(a -> a.get(by)).containsOnly(by.equals("site") ? "site-2" : "sim-7");
            }
        }
    }

    /** A change to the temperature of the anomalous devices, by time since the anomaly began (ms). */
    @FunctionalInterface
    interface Anomaly {
        double apply(long sinceMs, double normal);
    }

    /**
     * Plays every device's readings in time order; with an anomaly, sim-7's (site-overheat: site-2's) from half the run
     * on. Devices are on 5 sites of 10. Returns the readings played.
     */
    private static long play(PlaybackRun run, String app, int perSecond, int seconds, Anomaly anomaly) {
        SignalModel[] models = new SignalModel[DEVICES];
        for (int d = 0; d < DEVICES; d++) {
            models[d] = new SignalModel(42L * 31 + d, 0.0, START);
        }
        List<String> attributes = run.telemetryAttributeNames();
        long step = 1_000L / perSecond;
        long anomalyFrom = START + seconds * 1_000L / 2;
        long readings = 0;
        for (long ts = START; ts < START + seconds * 1_000L; ts += step) {
            for (int d = 0; d < DEVICES; d++) {
                long deviceTs = ts + d; // devices are not in lockstep
                double temperature = models[d].readings(deviceTs).get("temperature");
                boolean affected = app.equals("site-overheat") ? d % 5 == 2 : d == 7;
                if (anomaly != null && affected && deviceTs >= anomalyFrom) {
                    temperature = anomaly.apply(deviceTs - anomalyFrom, temperature);
                }
                Map<String, Object> event = new HashMap<>();
                event.put("deviceId", "sim-" + d);
                event.put("ts", deviceTs);
                event.put("temperature", temperature);
                event.put("site", "site-" + d % 5);
                event.keySet().retainAll(attributes);
                run.send(event);
                readings++;
            }
        }
        return readings;
    }
}
