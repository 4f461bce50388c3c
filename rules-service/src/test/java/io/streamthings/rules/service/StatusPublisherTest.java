package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.catalog.RuleStatus;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleScope;
import io.streamthings.rules.engine.RuleCounters;
import org.junit.jupiter.api.Test;

class StatusPublisherTest {

    private static final String APP = "@App:name('hot')\n"
            + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
            + "from TelemetryStream[temperature > 90.0] select deviceId, ts, temperature insert into AlertStream;";
    private static final RuleDefinition HOT = new RuleDefinition("acme", "hot", 3, APP, 1L);

    @Test
    void shouldReportARunningRuleWithItsTotalsAndLastRuntimeError() {
        DeployedRule running = new DeployedRule(HOT, new RuleCompiler().compile(APP), RuleScope.DEVICE_ID, null);
        RuleCounters total = new RuleCounters(10, 2, 1, 1, 5_000L, "cast failed");

        RuleStatus status = StatusPublisher.status(running, total, "i-1", 9_000L);

        assertThat(status).isEqualTo(new RuleStatus("acme", "hot", 3, "i-1", RuleStatus.RUNNING, "cast failed", 10,
                2, 1, 1, 5_000L, 9_000L));
        assertThat(status.key()).isEqualTo("acme/hot/i-1");
    }

    @Test
    void shouldReportARuleThatDidNotCompileAsFailedWithTheCompilersError() {
        DeployedRule failed = new DeployedRule(HOT, null, RuleScope.DEVICE_ID, "line 1, column 1: nope");

        RuleStatus status = StatusPublisher.status(failed, RuleTotals.ZERO, "i-1", 9_000L);

        assertThat(status.state()).isEqualTo(RuleStatus.FAILED);
        assertThat(status.error()).isEqualTo("line 1, column 1: nope");
        assertThat(status.eventsIn()).isZero();
    }

    @Test
    void shouldAddCountersKeepingTheLatestFiringAndTheNewerError() {
        RuleCounters older = new RuleCounters(5, 1, 2, 1, 7_000L, "old");
        RuleCounters newer = new RuleCounters(3, 0, 1, 0, 6_000L, null);

        assertThat(RuleTotals.sum(older, newer)).isEqualTo(new RuleCounters(8, 1, 3, 1, 7_000L, "old"));
        assertThat(RuleTotals.sum(RuleTotals.ZERO, older)).isEqualTo(older);
        assertThat(RuleTotals.sum(newer, new RuleCounters(0, 0, 0, 1, null, "new")).lastError()).isEqualTo("new");
    }
}
