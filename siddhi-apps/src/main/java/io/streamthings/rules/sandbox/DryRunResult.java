package io.streamthings.rules.sandbox;

import io.streamthings.rules.engine.EmittedAlert;
import java.util.List;
import java.util.Objects;

/**
 * What a rule app did with sample events in {@link RuleSandbox#dryRun}.
 *
 * @param rule the rule's name
 * @param eventsIn samples sent into the app
 * @param eventsSkipped samples not sent: lacking a metric the app declares, or of another tenant
 * @param alerts what the app inserted into AlertStream, in order
 * @param errors what went wrong inside the app, in order, {@code "event <index>: <error>"} (index 0-based into the
 *     samples); unmodifiable
 */
public record DryRunResult(String rule, int eventsIn, int eventsSkipped, List<EmittedAlert> alerts,
        List<String> errors) {

    /** @throws NullPointerException when an argument or a list element is null */
    public DryRunResult {
        Objects.requireNonNull(rule, "rule");
        alerts = List.copyOf(alerts);
        errors = List.copyOf(errors);
    }
}
