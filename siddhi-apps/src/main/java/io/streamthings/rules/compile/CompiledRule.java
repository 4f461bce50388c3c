package io.streamthings.rules.compile;

import java.util.List;
import java.util.Objects;

/**
 * A rule app that {@link RuleCompiler} accepted, with what the engine needs to feed it and read its alerts.
 *
 * @param name the rule's name, from {@code @App:name}
 * @param appText the app's text, as the author wrote it
 * @param inputAttributes the {@code TelemetryStream} attributes, in declared order
 * @param alertAttributes the {@code AlertStream} attribute names, in declared (or inferred) order
 */
public record CompiledRule(String name, String appText, List<TelemetryAttribute> inputAttributes,
        List<String> alertAttributes) {

    /** @throws NullPointerException when an argument or a list element is null */
    public CompiledRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(appText, "appText");
        inputAttributes = List.copyOf(inputAttributes);
        alertAttributes = List.copyOf(alertAttributes);
    }
}
