package io.streamthings.rules.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event a rule inserted into {@code AlertStream}.
 *
 * @param tenant the tenant whose rule emitted it
 * @param rule the rule's name
 * @param deviceId the {@code deviceId} attribute, null when AlertStream has none (or it is null)
 * @param severity the {@code severity} attribute, {@code "warning"} when absent or null
 * @param message the {@code message} attribute, the rule's name when absent or null
 * @param ts the {@code ts} attribute when present and not null, else the Siddhi event timestamp (the record's ts in
 *     {@link TimeMode#PLAYBACK}, the wall clock when it was offered in {@link TimeMode#LIVE}), epoch milliseconds
 * @param values every AlertStream attribute in declared order, values may be null; copied, unmodifiable
 */
public record EmittedAlert(String tenant, String rule, String deviceId, String severity, String message, long ts,
        Map<String, Object> values) {

    /** @throws NullPointerException when tenant, rule, severity, message or values is null */
    public EmittedAlert {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        // LinkedHashMap, not Map.copyOf: keeps the declared order and allows null values
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
