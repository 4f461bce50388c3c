package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.apps.ShippedApps;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleScope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossDeviceRoutingTest {

    private static final RuleCompiler COMPILER = new RuleCompiler();
    private static final String SITE_OVERHEAT = ShippedApps.named("site-overheat").appText();
    private static final String WINDOW_ACROSS_DEVICES = "@App:name('fleet-average')\n"
            + "define stream TelemetryStream (deviceId string, ts long, humidity double);\n"
            + "from TelemetryStream#window.length(100) select deviceId, ts, avg(humidity) as a "
            + "insert into AlertStream;";

    @Test
    void aTenantWhoseRulesAreKeyedBySiteSpreadsItsSites() {
        CrossDeviceRouting routing = CrossDeviceRouting.of(List.of(rule("acme", SITE_OVERHEAT)));

        assertThat(routing.forwardKey(reading("acme", "d-1", "north"))).isEqualTo("acme/site=north");
        assertThat(routing.forwardKey(reading("acme", "d-2", "north"))).isEqualTo("acme/site=north");
        assertThat(routing.forwardKey(reading("acme", "d-3", "south"))).isEqualTo("acme/site=south");
        // without the tag: together, as Siddhi's partition keeps them
        assertThat(routing.forwardKey(reading("acme", "d-4", null))).isEqualTo("acme/site=");
        assertThat(routing.hasRules("acme")).isTrue();
    }

    @Test
    void aRuleAcrossEveryDeviceKeepsTheTenantTogether() {
        CrossDeviceRouting routing = CrossDeviceRouting.of(List.of(rule("acme", SITE_OVERHEAT),
                rule("acme", WINDOW_ACROSS_DEVICES), rule("globex", SITE_OVERHEAT)));

        assertThat(routing.forwardKey(reading("acme", "d-1", "north"))).isEqualTo("acme");
        assertThat(routing.forwardKey(reading("acme", "d-3", "south"))).isEqualTo("acme");
        assertThat(routing.forwardKey(reading("globex", "d-1", "north"))).isEqualTo("globex/site=north");
    }

    @Test
    void recordsNoRuleWouldTakeAndOtherTenantsAreNotForwarded() {
        CrossDeviceRouting routing = CrossDeviceRouting.of(List.of(rule("acme", SITE_OVERHEAT)));

        StampedTelemetry humidityOnly = new StampedTelemetry("acme", "sensor", "d-1", 1_000L,
                new TelemetryRecord(1_000L, Map.of("humidity", 40.0), Map.of("site", "north")));
        assertThat(routing.forwardKey(humidityOnly)).isNull();
        assertThat(routing.forwardKey(reading("globex", "d-1", "north"))).isNull();
        assertThat(routing.hasRules("globex")).isFalse();
        assertThat(CrossDeviceRouting.NONE.forwardKey(reading("acme", "d-1", "north"))).isNull();

        // either rule taking it is enough
        CrossDeviceRouting both = CrossDeviceRouting.of(List.of(rule("acme", SITE_OVERHEAT),
                rule("acme", WINDOW_ACROSS_DEVICES)));
        assertThat(both.forwardKey(humidityOnly)).isEqualTo("acme");
    }

    private static CrossDeviceRouting.Rule rule(String tenant, String app) {
        CompiledRule compiled = COMPILER.compile(app);
        return new CrossDeviceRouting.Rule(tenant, compiled, RuleScope.key(app));
    }

    private static StampedTelemetry reading(String tenant, String deviceId, String site) {
        Map<String, String> tags = site == null ? Map.of() : Map.of("site", site);
        return new StampedTelemetry(tenant, "sensor", deviceId, 1_000L,
                new TelemetryRecord(1_000L, Map.of("temperature", 20.0), tags));
    }
}
