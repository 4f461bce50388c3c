package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.rules.apps.ShippedApps;
import org.junit.jupiter.api.Test;

class RuleScopeTest {

    private static final String HEAD = "@App:name('x')\n"
            + "define stream TelemetryStream (deviceId string, site string, ts long, temperature double);\n";

    @Test
    void perDevicePartitionsAndPlainFiltersRunPerInputPartition() {
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream[temperature > 90.0] "
                + "select deviceId, ts, temperature * 2.0 as t insert into AlertStream;")).isTrue();
        for (String app : new String[] {"n-in-a-row", "rate-of-change", "device-silent", "moving-average-crossing"}) {
            assertThat(RuleScope.deviceScoped(ShippedApps.named(app).appText())).as(app).isTrue();
        }
    }

    @Test
    void anythingThatMayCorrelateDevicesRunsPerTenant() {
        assertThat(RuleScope.deviceScoped(ShippedApps.named("site-overheat").appText())).isFalse();
        assertThat(RuleScope.deviceScoped(ShippedApps.named("threshold-hysteresis").appText())).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream#window.length(5) select deviceId, ts, "
                + "avg(temperature) as a insert into AlertStream;")).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream select deviceId, ts, count() as n "
                + "insert into AlertStream;")).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream select deviceId, ts, max(temperature) + 1.0 "
                + "as n insert into AlertStream;")).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "partition with (site of TelemetryStream) begin from TelemetryStream "
                + "select deviceId, ts insert into AlertStream; end;")).isFalse();
    }
}
