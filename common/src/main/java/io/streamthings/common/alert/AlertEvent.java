package io.streamthings.common.alert;

import io.streamthings.common.kafka.DeviceKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One firing of an alert, as a rule app, a Flink job or an edge device emits it on the {@code alerts} topic. The
 * registry folds a storm of firings with the same {@link #dedupKey()} into one open alert.
 *
 * @param tenant the tenant whose data fired it
 * @param source what fired it: {@code rule}, {@code flink} or {@code edge}
 * @param rule the rule (or job) name
 * @param deviceId the device it is about, or null for an alert about many devices (e.g. a site)
 * @param severity {@code info}, {@code warning}, {@code major} or {@code critical}; other words become {@code warning}
 * @param message a human sentence
 * @param ts the event time of the data that fired it, epoch milliseconds
 * @param firedAt when it was emitted, epoch milliseconds (wall clock)
 * @param values the values that fired it: strings, numbers or booleans, in the order the rule emitted them
 */
public record AlertEvent(String tenant, String source, String rule, String deviceId, String severity,
        String message, long ts, long firedAt, Map<String, Object> values) {

    /** The severities, from least to most severe. */
    public static final java.util.List<String> SEVERITIES = java.util.List.of("info", "warning", "major", "critical");

    public AlertEvent {
        requireText(tenant, "tenant");
        requireText(source, "source");
        requireText(rule, "rule");
        if (deviceId != null && deviceId.isBlank()) {
            deviceId = null;
        }
        severity = normaliseSeverity(severity);
        message = message == null || message.isBlank() ? rule : message;
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Alerts with the same key are one alert that fired again: tenant, rule and device. */
    public String dedupKey() {
        return tenant + "/" + rule + "/" + (deviceId == null ? "" : deviceId);
    }

    /** The Kafka key: {@code tenant/deviceId}, or {@code tenant/rule} for an alert without a device. */
    public String kafkaKey() {
        return DeviceKey.of(tenant, deviceId == null ? rule : deviceId).toString();
    }

    /** Lower-cases a known severity and maps anything else (or nothing) to {@code warning}. */
    public static String normaliseSeverity(String severity) {
        if (severity == null) {
            return "warning";
        }
        String s = severity.trim().toLowerCase(Locale.ROOT);
        return SEVERITIES.contains(s) ? s : "warning";
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
