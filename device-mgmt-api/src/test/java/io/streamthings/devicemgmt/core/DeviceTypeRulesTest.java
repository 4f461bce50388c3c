package io.streamthings.devicemgmt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.devicemgmt.api.DeviceTypeSpec;
import io.streamthings.devicemgmt.api.Feature;
import io.streamthings.devicemgmt.api.MetricSpec;
import io.streamthings.devicemgmt.api.PropertySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceTypeRulesTest {

    @Test
    void shouldAcceptASoundDeviceType() {
        DeviceTypeSpec spec = new DeviceTypeSpec("thermo", null,
                List.of(new Feature("reboot", null, null, null), new Feature("calibrate", null, null, null)),
                List.of(new MetricSpec("temperature", "°C", "number", -40.0, 125.0)),
                List.of(new PropertySpec("site", null, true)), List.of("mqtt"));

        assertThat(DeviceTypeRules.problems(spec)).isEmpty();
    }

    @Test
    void shouldReportDuplicateCodesNamesAndAnInvertedRange() {
        DeviceTypeSpec spec = new DeviceTypeSpec("thermo", null,
                List.of(new Feature("reboot", null, null, null), new Feature("reboot", null, null, null)),
                List.of(new MetricSpec("t", null, null, 10.0, 1.0), new MetricSpec("t", null, null, null, null)),
                List.of(new PropertySpec("site", null, false), new PropertySpec("site", null, true)), null);

        assertThat(DeviceTypeRules.problems(spec)).containsExactlyInAnyOrder(
                "features: duplicate code reboot", "metrics: duplicate name t", "properties: duplicate name site",
                "metrics.t: min 10.0 is above max 1.0");
    }

    @Test
    void shouldNameTheRequiredPropertiesADeviceLacks() {
        List<PropertySpec> specs = List.of(new PropertySpec("site", null, true), new PropertySpec("floor", null, true),
                new PropertySpec("note", null, false));

        assertThat(DeviceTypeRules.missingRequired(specs, Map.of("site", "north"))).containsExactly("floor");
        assertThat(DeviceTypeRules.missingRequired(specs, null)).containsExactly("site", "floor");
        assertThat(DeviceTypeRules.missingRequired(null, null)).isEmpty();
    }
}
