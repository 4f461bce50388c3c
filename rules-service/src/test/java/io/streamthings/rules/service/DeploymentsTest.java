package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.apps.ShippedApps;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.compile.RuleCompiler;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DeploymentsTest {

    private static final String HOT = "@App:name('hot')\n"
            + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
            + "from TelemetryStream[temperature > 90.0] select deviceId, ts, temperature insert into AlertStream;";
    private static final TopicPartition RAW = new TopicPartition(Topics.TELEMETRY_RAW.name(), 0);
    private static final TopicPartition BY_TENANT = new TopicPartition(Topics.RULES_BY_TENANT.name(), 0);

    private final Deployments deployments = new Deployments(new RuleCompiler(), alert -> { });

    @Test
    void shouldRunAPerDeviceRuleOnTelemetryRawAndForwardNothing() {
        DeployedRule d = deployments.deploy("acme/hot", new RuleDefinition("acme", "hot", 1, HOT, 1L));

        assertThat(d.error()).isNull();
        assertThat(d.runsOn(RAW)).isTrue();
        assertThat(d.runsOn(BY_TENANT)).isFalse();
        assertThat(deployments.routing().forwardKey(reading("acme"))).isNull();
    }

    @Test
    void shouldRunASiteRuleOnRulesByTenantAndForwardItsTenantsRecordsUntilUndeployed() {
        String app = ShippedApps.named("site-overheat").appText();
        DeployedRule d = deployments.deploy("acme/site", new RuleDefinition("acme", "site", 1, app, 1L));

        assertThat(d.runsOn(BY_TENANT)).isTrue();
        assertThat(deployments.routing().forwardKey(reading("acme"))).isEqualTo("acme/site=north");
        assertThat(deployments.routing().forwardKey(reading("globex"))).isNull();

        assertThat(deployments.undeploy("acme/site")).isTrue();
        assertThat(deployments.routing().forwardKey(reading("acme"))).isNull();
        assertThat(deployments.undeploy("acme/site")).isFalse();
    }

    @Test
    void shouldRecordARuleThatDoesNotCompileWithItsErrorAndRunItNowhere() {
        DeployedRule d = deployments.deploy("acme/bad", new RuleDefinition("acme", "bad", 1, "from Nope", 1L));

        assertThat(d.error()).isNotBlank();
        assertThat(d.runsOn(RAW)).isFalse();
        assertThat(d.runsOn(BY_TENANT)).isFalse();
        assertThat(deployments.all()).containsKey("acme/bad");
    }

    @Test
    void shouldTellWhetherADefinitionIsTheOneRunning() {
        RuleDefinition v1 = new RuleDefinition("acme", "hot", 1, HOT, 1L);
        deployments.deploy("acme/hot", v1);

        assertThat(deployments.isCurrent("acme/hot", v1)).isTrue();
        assertThat(deployments.isCurrent("acme/hot", new RuleDefinition("acme", "hot", 2, HOT, 2L))).isFalse();
        assertThat(deployments.isCurrent("acme/hot", new RuleDefinition("acme", "hot", 1, HOT + " ", 2L)))
                .isFalse();
        assertThat(deployments.isCurrent("acme/other", v1)).isFalse();
    }

    private static StampedTelemetry reading(String tenant) {
        return new StampedTelemetry(tenant, "sensor", "d-1", 1_000L,
                new TelemetryRecord(1_000L, Map.of("temperature", 20.0), Map.of("site", "north")));
    }
}
