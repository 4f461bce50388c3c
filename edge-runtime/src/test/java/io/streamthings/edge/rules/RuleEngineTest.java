package io.streamthings.edge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.engine.TimeMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleEngineTest {

    private static final RuleCompiler COMPILER = new RuleCompiler();
    private static final DeviceIdentity DEVICE = new DeviceIdentity("acme", "edge", "d1");

    @TempDir
    Path dir;

    private RuleEngine engine;
    private long ts = 1_700_000_000_000L;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static String threshold(String name, double limit) {
        return "@App:name('" + name + "')\n"
                + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
                + "from TelemetryStream[temperature > " + limit + "]\n"
                + "select deviceId, ts, temperature, 'critical' as severity\n"
                + "insert into AlertStream;\n";
    }

    /** Alerts when three readings in a row are above 50: its state is the run so far. */
    static String threeInARow(String name) {
        return "@App:name('" + name + "')\n"
                + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
                + "from every e1=TelemetryStream[temperature > 50.0], e2=TelemetryStream[temperature > 50.0],\n"
                + "  e3=TelemetryStream[temperature > 50.0] within 1 hour\n"
                + "select e3.deviceId as deviceId, e3.ts as ts, e3.temperature as temperature\n"
                + "insert into AlertStream;\n";
    }

    private RuleEngine newEngine() throws Exception {
        return new RuleEngine(COMPILER, DEVICE, TimeMode.PLAYBACK, dir, () -> 42L);
    }

    private void feed(double... temperatures) {
        for (double t : temperatures) {
            engine.process(List.of(TelemetryRecord.of(ts += 1_000, Map.of("temperature", t))), 0);
        }
    }

    private List<AlertEvent> alerts() {
        return engine.drainAlerts().stream().map(AlertCodec::decode).toList();
    }

    private static EdgeRuleSpec deploy(String id, long version, String app, boolean carry) {
        return new EdgeRuleSpec(id, version, EdgeRuleSpec.Action.DEPLOY, carry, app);
    }

    @Test
    void shouldSwapToTheNewVersionBetweenTwoEvents() throws Exception {
        engine = newEngine();
        assertThat(engine.deploy(deploy("hot", 1, threshold("hot", 90), false)).status()).isEqualTo("COMPLETED");
        feed(95, 70);
        assertThat(engine.deploy(deploy("hot", 2, threshold("hot", 60), false)).status()).isEqualTo("COMPLETED");
        feed(70, 50);
        List<AlertEvent> alerts = alerts();
        assertThat(alerts).extracting(a -> a.values().get("temperature")).containsExactly(95.0, 70.0);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.source()).isEqualTo("edge");
            assertThat(a.deviceId()).isEqualTo("d1");
            assertThat(a.tenant()).isEqualTo("acme");
        });
        assertThat(engine.health()).singleElement().satisfies(h -> assertThat(h.version()).isEqualTo(2));
    }

    @Test
    void shouldKeepThePreviousVersionRunningWhenTheNewOneDoesNotCompile() throws Exception {
        engine = newEngine();
        engine.deploy(deploy("hot", 1, threshold("hot", 90), false));
        String broken = "@App:name('hot')\n"
                + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
                + "from TelemetryStream[temprature > 10.0]\n"
                + "select deviceId, ts insert into AlertStream;\n";
        DeployOutcome outcome = engine.deploy(deploy("hot", 2, broken, false));
        assertThat(outcome.status()).isEqualTo("ERROR");
        assertThat(outcome.line()).isEqualTo(3);
        assertThat(outcome.column()).isNotNull();
        assertThat(outcome.message()).contains("temprature");
        assertThat(outcome.runningVersion()).isEqualTo(1);
        feed(95);
        assertThat(alerts()).hasSize(1);
        assertThat(engine.health()).singleElement().satisfies(h -> assertThat(h.version()).isEqualTo(1));
    }

    @Test
    void shouldRefuseWhatTheServersPolicyRefuses() throws Exception {
        engine = newEngine();
        String unbounded = "@App:name('x')\n"
                + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
                + "from TelemetryStream#window.length(1000000000) select deviceId, ts insert into AlertStream;\n";
        DeployOutcome outcome = engine.deploy(deploy("x", 1, unbounded, false));
        assertThat(outcome.status()).isEqualTo("ERROR");
        assertThat(engine.rules()).isEmpty();
    }

    @Test
    void shouldCarryAHalfMatchedPatternOverWhenTheDeploymentSaysSo() throws Exception {
        engine = newEngine();
        engine.deploy(deploy("run", 1, threeInARow("run"), false));
        feed(60, 61);
        engine.deploy(deploy("run", 2, threeInARow("run") + "-- v2\n", true));
        feed(62);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldStartEmptyWhenTheDeploymentResetsState() throws Exception {
        engine = newEngine();
        engine.deploy(deploy("run", 1, threeInARow("run"), false));
        feed(60, 61);
        engine.deploy(deploy("run", 2, threeInARow("run") + "-- v2\n", false));
        feed(62);
        assertThat(alerts()).isEmpty();
        feed(63, 64);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldResumeThePersistedRulesAfterARestart() throws Exception {
        engine = newEngine();
        engine.deploy(deploy("hot", 3, threshold("hot", 90), false));
        engine.deploy(deploy("gone", 1, threshold("gone", 10), false));
        engine.deploy(new EdgeRuleSpec("gone", 2, EdgeRuleSpec.Action.REMOVE, false, null));
        engine.close();
        engine = newEngine();
        assertThat(engine.resume()).isEqualTo(1);
        assertThat(engine.health()).singleElement().satisfies(h -> {
            assertThat(h.ruleId()).isEqualTo("hot");
            assertThat(h.version()).isEqualTo(3);
        });
        feed(95);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldRefuseAnOlderVersionAndTakeTheSameOneAgainAsDone() throws Exception {
        engine = newEngine();
        engine.deploy(deploy("hot", 2, threshold("hot", 90), false));
        assertThat(engine.deploy(deploy("hot", 1, threshold("hot", 10), false)).status()).isEqualTo("REJECTED");
        assertThat(engine.deploy(deploy("hot", 2, threshold("hot", 90), false)).status()).isEqualTo("COMPLETED");
        assertThat(engine.health()).singleElement().satisfies(h -> assertThat(h.version()).isEqualTo(2));
    }
}
