package io.streamthings.rules.sandbox;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleRejectedException;
import io.streamthings.rules.engine.EmittedAlert;
import io.streamthings.rules.engine.RuleCounters;
import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.engine.TimeMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a rule app on sample events without deploying it: in {@link TimeMode#PLAYBACK}, so windows and patterns
 * follow the samples' {@code ts} and a dry run gives the alerts the app would emit for those records, every time.
 * Timers fire only as later samples move time on: a window still open after the last sample emits nothing.
 * Thread-safe; each dry run has its own Siddhi runtime.
 */
public final class RuleSandbox {

    /** The most samples one dry run takes. */
    public static final int MAX_EVENTS = 10_000;
    /** The most errors reported; the rest are summed up in one last entry. */
    static final int MAX_ERRORS = 100;
    /** The most alerts kept; a join or a sliding window can emit far more alerts than it was given samples. */
    static final int MAX_ALERTS = 10_000;

    private final RuleCompiler compiler;

    /**
     * @param compiler compiles the apps, and its manager runs them
     * @throws NullPointerException when compiler is null
     */
    public RuleSandbox(RuleCompiler compiler) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    /**
     * Compiles an app and runs it on samples, in order.
     *
     * @param appText the SiddhiQL text of the app
     * @param tenant the tenant the app would run for; samples of other tenants are skipped
     * @param events the samples, at most {@value #MAX_EVENTS}
     * @return the alerts and errors, at most {@value #MAX_ALERTS} alerts and {@value #MAX_ERRORS} errors (plus one
     *     entry saying how many more there were)
     * @throws RuleRejectedException when the compiler refuses the app
     * @throws IllegalArgumentException when there are more than {@value #MAX_EVENTS} events
     * @throws NullPointerException when an argument or an event is null
     */
    public DryRunResult dryRun(String appText, String tenant, List<StampedTelemetry> events) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(events, "events");
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("a dry run takes at most " + MAX_EVENTS + " events, not "
                    + events.size());
        }
        CompiledRule rule = compiler.compile(appText);
        List<EmittedAlert> alerts = new ArrayList<>();
        int[] alertsDropped = {0};
        List<String> errors = new ArrayList<>();
        int errorsDropped = 0;
        RuleCounters counters;
        // PLAYBACK runs every timer on this thread, so the listener needs no synchronisation
        try (RuleInstance instance = RuleInstance.start(compiler.manager(), rule, tenant, TimeMode.PLAYBACK,
                alert -> {
                    if (alerts.size() < MAX_ALERTS) {
                        alerts.add(alert);
                    } else {
                        alertsDropped[0]++;
                    }
                })) {
            long errorsSoFar = 0;
            for (int i = 0; i < events.size(); i++) {
                instance.offer(Objects.requireNonNull(events.get(i), "event"));
                // counters keep only the last error: look after each event to name the sample that caused it
                RuleCounters now = instance.counters();
                if (now.errors() > errorsSoFar) {
                    if (errors.size() < MAX_ERRORS) {
                        errors.add("event " + i + ": " + now.lastError());
                    } else {
                        errorsDropped++;
                    }
                    errorsSoFar = now.errors();
                }
            }
            counters = instance.counters();
        }
        if (errorsDropped > 0) {
            errors.add("... and " + errorsDropped + " more events failed");
        }
        if (alertsDropped[0] > 0) {
            errors.add("the app emitted " + alertsDropped[0] + " more alerts than the " + MAX_ALERTS + " shown");
        }
        return new DryRunResult(rule.name(), (int) counters.eventsIn(), (int) counters.eventsSkipped(), alerts,
                errors);
    }
}
