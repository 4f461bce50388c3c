package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.api.DeviceTypeSpec;
import io.streamthings.devicemgmt.api.Feature;
import io.streamthings.devicemgmt.api.MetricSpec;
import io.streamthings.devicemgmt.api.PropertySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Rules a device type must keep beyond its JSON shape. */
public final class DeviceTypeRules {

    private DeviceTypeRules() {}

    /** Every problem of the spec, empty when it is sound: unique codes and names, and min not above max. */
    public static List<String> problems(DeviceTypeSpec spec) {
        List<String> problems = new ArrayList<>();
        duplicates(spec.features(), Feature::code, "features", "code", problems);
        duplicates(spec.metrics(), MetricSpec::name, "metrics", "name", problems);
        duplicates(spec.properties(), PropertySpec::name, "properties", "name", problems);
        if (spec.metrics() != null) {
            for (MetricSpec m : spec.metrics()) {
                if (m.min() != null && m.max() != null && m.min() > m.max()) {
                    problems.add("metrics." + m.name() + ": min " + m.min() + " is above max " + m.max());
                }
            }
        }
        return problems;
    }

    /** The required properties of a type that a device lacks. */
    public static List<String> missingRequired(List<PropertySpec> specs, Map<String, Object> properties) {
        if (specs == null) {
            return List.of();
        }
        return specs.stream()
                .filter(PropertySpec::required)
                .map(PropertySpec::name)
                .filter(name -> properties == null || properties.get(name) == null)
                .toList();
    }

    private static <T> void duplicates(List<T> items, Function<T, String> key, String list, String field,
            List<String> problems) {
        if (items == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (item == null) {
                problems.add(list + ": null entry");
            } else if (!seen.add(key.apply(item))) {
                problems.add(list + ": duplicate " + field + " " + key.apply(item));
            }
        }
    }
}
