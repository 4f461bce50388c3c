package io.streamthings.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuleInstanceTest {

    private static final String TENANT = "acme";
    private static final RuleCompiler COMPILER = new RuleCompiler();

    private static final String HOT_DEVICE = """
            @App:name('hot-device')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from TelemetryStream[temperature > 90.0]
            select deviceId, ts, temperature, 'critical' as severity
            insert into AlertStream;
            """;

    /** Throws a ClassCastException (Siddhi's cast() only relabels the Double) when temperature is 1000 or more. */
    private static final String THROWS_ON_HUGE = """
            @App:name('throws-on-huge')
            define stream TelemetryStream (deviceId string, temperature double);
            from TelemetryStream[temperature > 90.0 and (temperature < 1000.0 or cast(temperature, 'int') > 1)]
            select deviceId, temperature
            insert into AlertStream;
            """;

    private static final String TWICE_HOT = """
            @App:name('twice-hot')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from every e1=TelemetryStream[temperature > 90]
                -> e2=TelemetryStream[deviceId == e1.deviceId and temperature > 90]
                within 1 min
            select e1.deviceId, e1.temperature as first, e2.temperature as second, e2.ts as ts
            insert into AlertStream;
            """;

    private final List<EmittedAlert> alerts = new CopyOnWriteArrayList<>();
    private final List<RuleInstance> started = new ArrayList<>();

    @AfterEach
    void closeInstances() {
        started.forEach(RuleInstance::close);
    }

    @Test
    void shouldEmitWhatTheAppInsertsIntoAlertStream() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);

        rule.offer(temperature("t-1", 1_000L, 80.0));
        rule.offer(temperature("t-2", 2_000L, 95.5));

        assertThat(alerts).containsExactly(new EmittedAlert(TENANT, "hot-device", "t-2", "critical", "hot-device",
                2_000L, values("deviceId", "t-2", "ts", 2_000L, "temperature", 95.5, "severity", "critical")));
    }

    @Test
    void shouldSkipRecordsLackingADeclaredMetric() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);

        boolean offered = rule.offer(record("t-1", 1_000L, Map.of("humidity", 99.0), Map.of()));

        assertThat(offered).isFalse();
        assertThat(rule.counters().eventsSkipped()).isEqualTo(1);
        assertThat(rule.counters().eventsIn()).isZero();
        assertThat(alerts).isEmpty();
    }

    @Test
    void shouldSkipRecordsOfAnotherTenant() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);
        StampedTelemetry foreign = new StampedTelemetry("tenant-b", "thermostat", "t-1", 1_000L,
                TelemetryRecord.of(1_000L, Map.of("temperature", 99.0)));

        assertThat(rule.offer(foreign)).isFalse();
        assertThat(rule.counters().eventsSkipped()).isEqualTo(1);
        assertThat(alerts).isEmpty();
    }

    @Test
    void shouldFeedDeviceIdDeviceTypeTsTagsAndMetricsInDeclaredOrder() {
        RuleInstance rule = start("""
                @App:name('echo')
                define stream TelemetryStream (temperature double, site string, deviceType string, ts long,
                    deviceId string, floor string);
                from TelemetryStream select deviceId, deviceType, ts, site, floor, temperature insert into AlertStream;
                """, TimeMode.LIVE, alerts::add);

        rule.offer(record("t-1", 1_764_131_000_123L, Map.of("temperature", 21.5, "humidity", 40.0),
                Map.of("site", "plant-a")));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.values()).containsExactly(Map.entry("deviceId", "t-1"),
                    Map.entry("deviceType", "thermostat"), Map.entry("ts", 1_764_131_000_123L),
                    Map.entry("site", "plant-a"), entry("floor", null), Map.entry("temperature", 21.5));
            assertThat(alert.deviceId()).isEqualTo("t-1");
            assertThat(alert.ts()).isEqualTo(1_764_131_000_123L);
        });
    }

    @Test
    void shouldDefaultSeverityToWarningAndMessageToTheRuleName() {
        RuleInstance rule = start("""
                @App:name('plain')
                define stream TelemetryStream (temperature double);
                from TelemetryStream select temperature insert into AlertStream;
                """, TimeMode.PLAYBACK, alerts::add);

        rule.offer(temperature("t-1", 5_000L, 1.0));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.severity()).isEqualTo("warning");
            assertThat(alert.message()).isEqualTo("plain");
            assertThat(alert.deviceId()).isNull();
            // no ts attribute: the event timestamp, the record's ts in playback
            assertThat(alert.ts()).isEqualTo(5_000L);
        });
    }

    @Test
    void shouldHonourSeverityAndMessage() {
        RuleInstance rule = start("""
                @App:name('told')
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream select deviceId, 'info' as severity, 'all good' as message insert into AlertStream;
                """, TimeMode.LIVE, alerts::add);
        long before = System.currentTimeMillis();

        rule.offer(temperature("t-1", 5_000L, 1.0));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.severity()).isEqualTo("info");
            assertThat(alert.message()).isEqualTo("all good");
            // no ts attribute: the event timestamp, the wall clock in live mode
            assertThat(alert.ts()).isBetween(before, System.currentTimeMillis());
        });
    }

    @Test
    void shouldCountEventsInSkippedAndOut() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);
        assertThat(rule.counters()).isEqualTo(new RuleCounters(0, 0, 0, 0, null, null));
        long before = System.currentTimeMillis();

        rule.offer(temperature("t-1", 1_000L, 95.0));
        rule.offer(temperature("t-1", 2_000L, 20.0));
        rule.offer(temperature("t-1", 3_000L, 99.0));
        rule.offer(record("t-1", 4_000L, Map.of("humidity", 1.0), Map.of()));

        RuleCounters counters = rule.counters();
        assertThat(counters.eventsIn()).isEqualTo(3);
        assertThat(counters.eventsSkipped()).isEqualTo(1);
        assertThat(counters.eventsOut()).isEqualTo(2);
        assertThat(counters.errors()).isZero();
        assertThat(counters.lastFiredAt()).isBetween(before, System.currentTimeMillis());
        assertThat(counters.lastError()).isNull();
    }

    @Test
    void shouldCountAnExceptionInsideTheAppAndGoOnWithTheNextEvents() {
        List<EmittedAlert> healthyAlerts = new CopyOnWriteArrayList<>();
        RuleInstance throwing = start(THROWS_ON_HUGE, TimeMode.LIVE, alerts::add);
        RuleInstance healthy = start(HOT_DEVICE, TimeMode.LIVE, healthyAlerts::add);
        List<StampedTelemetry> events = List.of(temperature("t-1", 1_000L, 95.0), temperature("t-2", 2_000L, 5000.0),
                temperature("t-3", 3_000L, 96.0));

        for (StampedTelemetry event : events) {
            assertThat(throwing.offer(event)).isTrue();
            healthy.offer(event);
        }

        assertThat(alerts).extracting(EmittedAlert::deviceId).containsExactly("t-1", "t-3");
        assertThat(throwing.counters().errors()).isEqualTo(1);
        assertThat(throwing.counters().eventsIn()).isEqualTo(3);
        assertThat(throwing.counters().lastError()).startsWith("ClassCastException: ")
                .contains("java.lang.Double cannot be cast to class java.lang.Integer");
        assertThat(healthyAlerts).extracting(EmittedAlert::deviceId).containsExactly("t-1", "t-2", "t-3");
        assertThat(healthy.counters().errors()).isZero();
        assertThat(healthy.counters().lastError()).isNull();
    }

    @Test
    void shouldCountAnExceptionInAQueryReadingAStreamTheAppOnlyInsertsInto() {
        RuleInstance rule = start("""
                @App:name('two-steps')
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream select deviceId, temperature insert into Checked;
                from Checked[temperature < 1000.0 or cast(temperature, 'int') > 1] select deviceId
                insert into AlertStream;
                """, TimeMode.LIVE, alerts::add);

        rule.offer(temperature("t-1", 1_000L, 5000.0));
        rule.offer(temperature("t-2", 2_000L, 5.0));

        assertThat(rule.counters().errors()).isEqualTo(1);
        assertThat(alerts).extracting(EmittedAlert::deviceId).containsExactly("t-2");
    }

    @Test
    void shouldCountAFailingAlertListenerAndGoOn() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alert -> {
            if (alert.deviceId().equals("t-1")) {
                throw new IllegalStateException("listener down");
            }
            alerts.add(alert);
        });

        rule.offer(temperature("t-1", 1_000L, 95.0));
        rule.offer(temperature("t-2", 2_000L, 95.0));

        assertThat(rule.counters().errors()).isEqualTo(1);
        assertThat(rule.counters().lastError()).isEqualTo("IllegalStateException: listener down");
        assertThat(alerts).extracting(EmittedAlert::deviceId).containsExactly("t-2");
    }

    @Test
    void shouldCompleteAHalfMatchedPatternInANewInstanceRestoredFromASnapshot() {
        RuleInstance before = start(TWICE_HOT, TimeMode.LIVE, alerts::add);
        before.offer(temperature("t-1", 1_000L, 95.0));
        byte[] state = before.snapshot();
        before.close();
        RuleInstance fresh = start(TWICE_HOT, TimeMode.LIVE, alert -> { });
        RuleInstance restored = start(TWICE_HOT, TimeMode.LIVE, alerts::add);

        restored.restore(state);
        restored.offer(temperature("t-1", 2_000L, 97.0));
        fresh.offer(temperature("t-1", 2_000L, 97.0));

        assertThat(alerts).singleElement().satisfies(alert -> assertThat(alert.values())
                .containsExactly(Map.entry("deviceId", "t-1"), Map.entry("first", 95.0), Map.entry("second", 97.0),
                        Map.entry("ts", 2_000L)));
        assertThat(fresh.counters().eventsOut()).isZero();
    }

    @Test
    void shouldKeepWithinOfARestoredPatternInEventTime() {
        RuleInstance before = start(TWICE_HOT, TimeMode.PLAYBACK, alerts::add);
        before.offer(temperature("t-1", 1_000L, 95.0));
        before.offer(temperature("t-2", 2_000L, 95.0));
        byte[] state = before.snapshot();
        RuleInstance restored = start(TWICE_HOT, TimeMode.PLAYBACK, alerts::add);

        restored.restore(state);
        restored.offer(temperature("t-1", 30_000L, 96.0));
        // t-2's first reading is more than 1 min old by now
        restored.offer(temperature("t-2", 70_000L, 96.0));

        assertThat(alerts).extracting(EmittedAlert::deviceId).containsExactly("t-1");
    }

    @Test
    void shouldFollowTheRecordsTsInPlayback() {
        String app = """
                @App:name('per-minute')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream#window.time(1 min) select deviceId, ts, count() as n insert into AlertStream;
                """;
        List<EmittedAlert> secondRun = new ArrayList<>();
        RuleInstance first = start(app, TimeMode.PLAYBACK, alerts::add);
        RuleInstance second = start(app, TimeMode.PLAYBACK, secondRun::add);

        for (long ts : new long[] {0L, 30_000L, 90_000L, 95_000L}) {
            first.offer(temperature("t-1", ts, 20.0));
            second.offer(temperature("t-1", ts, 20.0));
        }

        // at 90 s the readings of 0 s and 30 s have left the 1-minute window, whatever the wall clock says
        assertThat(alerts).extracting(alert -> alert.values().get("n")).containsExactly(1L, 2L, 1L, 2L);
        assertThat(secondRun).isEqualTo(alerts);
    }

    @Test
    void shouldCloseTimeBatchesAsTheRecordsTsMovesOnInPlayback() {
        RuleInstance rule = start("""
                @App:name('batches')
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream#window.timeBatch(1 min) select count() as n insert into AlertStream;
                """, TimeMode.PLAYBACK, alerts::add);

        for (long ts : new long[] {0L, 10_000L, 20_000L, 65_000L, 130_000L}) {
            rule.offer(temperature("t-1", ts, 20.0));
        }

        assertThat(alerts).extracting(alert -> alert.values().get("n")).containsExactly(3L, 1L);
        // a batch's output carries the timestamp of its last event, not the end of the batch
        assertThat(alerts).extracting(EmittedAlert::ts).containsExactly(20_000L, 65_000L);
    }

    @Test
    void shouldRefuseOffersOnceClosed() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);

        rule.close();
        rule.close();

        assertThatThrownBy(() -> rule.offer(temperature("t-1", 1_000L, 95.0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectAStateThatIsNotASnapshot() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);

        assertThatThrownBy(() -> rule.restore(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldExposeItsRuleAndTenant() {
        RuleInstance rule = start(HOT_DEVICE, TimeMode.LIVE, alerts::add);

        assertThat(rule.rule().name()).isEqualTo("hot-device");
        assertThat(rule.tenant()).isEqualTo(TENANT);
    }

    @Test
    void shouldStopARuleWhoseTableGoesBeyondItsRowCapAsAnErrorOfThatRuleAlone() {
        // keyed by a string the policy cannot see through: one row per reading
        String growing = """
                @App:name('growing')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                @PrimaryKey('k')
                define table Seen (k string, temperature double);
                from TelemetryStream select convert(ts, 'string') as k, temperature insert into Seen;
                from TelemetryStream select deviceId, ts insert into AlertStream;
                """;
        RuleInstance capped = RuleInstance.start(COMPILER.manager(), COMPILER.compile(growing), TENANT,
                TimeMode.PLAYBACK, alerts::add, 5);
        started.add(capped);
        RuleInstance other = start(HOT_DEVICE, TimeMode.PLAYBACK, alerts::add);

        for (long ts = 1; ts <= 8; ts++) {
            capped.offer(temperature("t-1", ts, 95.0));
            other.offer(temperature("t-1", ts, 95.0));
        }

        assertThat(capped.halted()).isTrue();
        assertThat(capped.counters().errors()).isEqualTo(1);
        assertThat(capped.counters().lastError()).contains("table Seen holds 6 rows, more than the 5");
        assertThat(capped.counters().eventsIn()).isEqualTo(6);
        assertThat(capped.counters().eventsSkipped()).isEqualTo(2);
        assertThat(other.counters().errors()).isZero();
        assertThat(alerts.stream().filter(a -> a.rule().equals("hot-device"))).hasSize(8);
    }

    private RuleInstance start(String app, TimeMode mode, AlertListener listener) {
        CompiledRule rule = COMPILER.compile(app);
        RuleInstance instance = RuleInstance.start(COMPILER.manager(), rule, TENANT, mode, listener);
        started.add(instance);
        return instance;
    }

    private static StampedTelemetry temperature(String deviceId, long ts, double temperature) {
        return record(deviceId, ts, Map.of("temperature", temperature), Map.of());
    }

    private static StampedTelemetry record(String deviceId, long ts, Map<String, Double> metrics,
            Map<String, String> tags) {
        return new StampedTelemetry(TENANT, "thermostat", deviceId, ts + 7, new TelemetryRecord(ts, metrics, tags));
    }

    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value);
    }
}
