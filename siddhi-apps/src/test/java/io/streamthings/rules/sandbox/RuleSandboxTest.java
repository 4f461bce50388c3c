package io.streamthings.rules.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleRejectedException;
import io.streamthings.rules.engine.EmittedAlert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSandboxTest {

    private static final String TENANT = "acme";

    private static final String HOT_DEVICE = """
            @App:name('hot-device')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from TelemetryStream[temperature > 90.0]
            select deviceId, ts, temperature, 'critical' as severity
            insert into AlertStream;
            """;

    private final RuleSandbox sandbox = new RuleSandbox(new RuleCompiler());

    @Test
    void shouldReturnExactlyTheAlertsTheAppEmitsForTheSamples() {
        List<StampedTelemetry> samples = List.of(temperature("t-1", 1_000L, 80.0), temperature("t-2", 2_000L, 95.0),
                humidity("t-3", 3_000L, 99.0), temperature("t-1", 4_000L, 91.5));

        DryRunResult result = sandbox.dryRun(HOT_DEVICE, TENANT, samples);

        assertThat(result.rule()).isEqualTo("hot-device");
        assertThat(result.eventsIn()).isEqualTo(3);
        assertThat(result.eventsSkipped()).isEqualTo(1);
        assertThat(result.alerts()).containsExactly(
                alert("t-2", 2_000L, values("deviceId", "t-2", "ts", 2_000L, "temperature", 95.0, "severity",
                        "critical")),
                alert("t-1", 4_000L, values("deviceId", "t-1", "ts", 4_000L, "temperature", 91.5, "severity",
                        "critical")));
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void shouldStopADryRunAtItsDeadline() {
        RuleSandbox hurried = new RuleSandbox(new RuleCompiler(), java.time.Duration.ofNanos(1));
        List<StampedTelemetry> samples = List.of(temperature("t-1", 1_000L, 95.0), temperature("t-1", 2_000L, 96.0));

        assertThatThrownBy(() -> hurried.dryRun(HOT_DEVICE, TENANT, samples))
                .isInstanceOf(DryRunDeadlineException.class)
                .hasMessageStartingWith("the dry run took longer than its 0 ms deadline");
    }

    @Test
    void shouldRunTimeWindowsOnTheSamplesTs() {
        String app = """
                @App:name('per-minute')
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream#window.time(1 min) select deviceId, avg(temperature) as mean
                insert into AlertStream;
                """;
        List<StampedTelemetry> samples = List.of(temperature("t-1", 0L, 10.0), temperature("t-1", 30_000L, 20.0),
                temperature("t-1", 90_000L, 60.0));

        DryRunResult first = sandbox.dryRun(app, TENANT, samples);
        DryRunResult second = sandbox.dryRun(app, TENANT, samples);

        assertThat(first.alerts()).extracting(alert -> alert.values().get("mean")).containsExactly(10.0, 15.0, 60.0);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldReportErrorsInsideTheAppWithTheSampleThatCausedThem() {
        String app = """
                @App:name('throws-on-huge')
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream[temperature < 1000.0 or cast(temperature, 'int') > 1]
                select deviceId insert into AlertStream;
                """;
        List<StampedTelemetry> samples = List.of(temperature("t-1", 1_000L, 5.0), temperature("t-2", 2_000L, 5000.0),
                temperature("t-3", 3_000L, 6.0));

        DryRunResult result = sandbox.dryRun(app, TENANT, samples);

        assertThat(result.errors()).singleElement().asString().startsWith("event 1: ClassCastException: ");
        assertThat(result.alerts()).extracting(EmittedAlert::deviceId).containsExactly("t-1", "t-3");
        assertThat(result.eventsIn()).isEqualTo(3);
    }

    @Test
    void shouldCapTheErrorsReported() {
        String app = """
                @App:name('always-throws')
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream[cast(temperature, 'int') > 1] select deviceId insert into AlertStream;
                """;
        List<StampedTelemetry> samples = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            samples.add(temperature("t-1", i, 5.0));
        }

        DryRunResult result = sandbox.dryRun(app, TENANT, samples);

        assertThat(result.errors()).hasSize(RuleSandbox.MAX_ERRORS + 1);
        assertThat(result.errors()).last().isEqualTo("... and 50 more events failed");
    }

    @Test
    void shouldThrowWhenTheAppIsRefused() {
        String app = HOT_DEVICE.replace("[temperature > 90.0]", "#window.unique:ever(deviceId)");

        assertThatThrownBy(() -> sandbox.dryRun(app, TENANT, List.of(temperature("t-1", 1_000L, 95.0))))
                .isInstanceOfSatisfying(RuleRejectedException.class, e -> {
                    assertThat(e.reason()).startsWith("window.unique:ever is not allowed");
                    assertThat(e.line()).hasValue(3);
                    assertThat(e.column()).hasValue(21);
                });
    }

    @Test
    void shouldRefuseMoreThanTenThousandEvents() {
        List<StampedTelemetry> samples = new ArrayList<>();
        for (int i = 0; i <= RuleSandbox.MAX_EVENTS; i++) {
            samples.add(temperature("t-1", i, 95.0));
        }

        assertThatThrownBy(() -> sandbox.dryRun(HOT_DEVICE, TENANT, samples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a dry run takes at most 10000 events, not 10001");
    }

    @Test
    void shouldRunTenThousandEvents() {
        List<StampedTelemetry> samples = new ArrayList<>();
        for (int i = 0; i < RuleSandbox.MAX_EVENTS; i++) {
            samples.add(temperature("t-" + (i % 10), i, i % 2 == 0 ? 95.0 : 20.0));
        }

        DryRunResult result = sandbox.dryRun(HOT_DEVICE, TENANT, samples);

        assertThat(result.eventsIn()).isEqualTo(RuleSandbox.MAX_EVENTS);
        assertThat(result.alerts()).hasSize(RuleSandbox.MAX_EVENTS / 2);
    }

    @Test
    void shouldSkipSamplesOfAnotherTenant() {
        StampedTelemetry foreign = new StampedTelemetry("tenant-b", "thermostat", "t-9", 1_000L,
                TelemetryRecord.of(1_000L, Map.of("temperature", 99.0)));

        DryRunResult result = sandbox.dryRun(HOT_DEVICE, TENANT, List.of(foreign));

        assertThat(result.eventsSkipped()).isEqualTo(1);
        assertThat(result.alerts()).isEmpty();
    }

    private static EmittedAlert alert(String deviceId, long ts, Map<String, Object> values) {
        return new EmittedAlert(TENANT, "hot-device", deviceId, "critical", "hot-device", ts, values);
    }

    private static StampedTelemetry temperature(String deviceId, long ts, double temperature) {
        return new StampedTelemetry(TENANT, "thermostat", deviceId, ts + 7,
                TelemetryRecord.of(ts, Map.of("temperature", temperature)));
    }

    private static StampedTelemetry humidity(String deviceId, long ts, double humidity) {
        return new StampedTelemetry(TENANT, "thermostat", deviceId, ts + 7,
                TelemetryRecord.of(ts, Map.of("humidity", humidity)));
    }

    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }
}
