package io.streamthings.rules.service;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.TelemetryAttribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which records of telemetry.raw the service forwards to {@code rules.by-tenant} for the rules that correlate devices,
 * and under which Kafka key, which decides the partition and so the instance that runs them.
 *
 * <p>Each record is forwarded once, and every such rule of its tenant sees it. When all of a tenant's cross-device
 * rules keep their state per value of one attribute (a {@code site} tag, say: see {@link io.streamthings.rules.compile.RuleScope#key}), the key
 * is the tenant and that value, so the tenant's sites spread over the topic's partitions and over the instances of
 * the consumer group. Otherwise the key is the tenant alone and one runtime sees all of its records. A record that
 * lacks a metric every one of these rules declares is not forwarded: none of them would be sent it.
 */
final class CrossDeviceRouting {

    /** A deployed rule that runs on rules.by-tenant, with the attribute its state is keyed by (null: none). */
    record Rule(String tenant, CompiledRule compiled, String key) {

        Rule {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(compiled, "compiled");
        }
    }

    /** How one tenant's records are forwarded. */
    private record Route(TelemetryAttribute key, List<String[]> metricsPerRule) {

        boolean wanted(Map<String, Double> metrics) {
            for (String[] required : metricsPerRule) {
                if (hasAll(metrics, required)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasAll(Map<String, Double> metrics, String[] required) {
            for (String metric : required) {
                if (!metrics.containsKey(metric)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final CrossDeviceRouting NONE = new CrossDeviceRouting(Map.of());

    private final Map<String, Route> byTenant;

    private CrossDeviceRouting(Map<String, Route> byTenant) {
        this.byTenant = byTenant;
    }

    /** The routing for these rules. */
    static CrossDeviceRouting of(Collection<Rule> rules) {
        Map<String, List<Rule>> grouped = new HashMap<>();
        for (Rule rule : rules) {
            grouped.computeIfAbsent(rule.tenant(), t -> new ArrayList<>()).add(rule);
        }
        Map<String, Route> routes = new HashMap<>();
        for (Map.Entry<String, List<Rule>> e : grouped.entrySet()) {
            routes.put(e.getKey(), route(e.getValue()));
        }
        return new CrossDeviceRouting(routes);
    }

    private static Route route(List<Rule> rules) {
        TelemetryAttribute key = commonKey(rules);
        List<String[]> metrics = new ArrayList<>();
        for (Rule rule : rules) {
            metrics.add(rule.compiled().inputAttributes().stream()
                    .filter(a -> a.kind() == TelemetryAttribute.Kind.METRIC)
                    .map(TelemetryAttribute::name).toArray(String[]::new));
        }
        return new Route(key, metrics);
    }

    /** The attribute all the rules are keyed by, as the first of them declares it; null when they differ. */
    private static TelemetryAttribute commonKey(List<Rule> rules) {
        String name = rules.get(0).key();
        if (name == null || rules.stream().anyMatch(r -> !name.equals(r.key()))) {
            return null;
        }
        return rules.get(0).compiled().inputAttributes().stream()
                .filter(a -> a.name().equals(name))
                .findFirst().orElse(null);
    }

    /** Whether any rule of the tenant runs on rules.by-tenant. */
    boolean hasRules(String tenant) {
        return byTenant.containsKey(tenant);
    }

    /** The Kafka key to forward the record under, or null when it is not to be forwarded. */
    String forwardKey(StampedTelemetry telemetry) {
        Route route = byTenant.get(telemetry.tenant());
        if (route == null || !route.wanted(telemetry.record().metrics())) {
            return null;
        }
        if (route.key() == null) {
            return telemetry.tenant();
        }
        String value = switch (route.key().kind()) {
            case DEVICE_ID -> telemetry.deviceId();
            case DEVICE_TYPE -> telemetry.deviceType();
            case TAG -> telemetry.record().tags().get(route.key().name());
            default -> throw new IllegalStateException("not a key: " + route.key());
        };
        // Records without the value (no such tag) go together, as Siddhi's partition would keep them together.
        return telemetry.tenant() + '/' + route.key().name() + '=' + (value == null ? "" : value);
    }
}
