package io.streamthings.rules.sandbox;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleRejectedException;
import io.streamthings.rules.engine.EmittedAlert;
import io.streamthings.rules.engine.RuleCounters;
import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.engine.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /** Default of the dry run's deadline: 5 seconds. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    /** Runs the dry runs, so that the caller can stop waiting at the deadline even inside one long event. */
    private static final ExecutorService RUNNERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rule-dry-run");
        t.setDaemon(true);
        return t;
    });

    private final RuleCompiler compiler;
    private final Duration deadline;

    /**
     * A sandbox with the {@link #DEFAULT_DEADLINE}.
     *
     * @param compiler compiles the apps, and its manager runs them
     * @throws NullPointerException when compiler is null
     */
    public RuleSandbox(RuleCompiler compiler) {
        this(compiler, DEFAULT_DEADLINE);
    }

    /**
     * @param compiler compiles the apps, and its manager runs them
     * @param deadline how long one dry run may take, compiling included
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the deadline is not positive
     */
    public RuleSandbox(RuleCompiler compiler, Duration deadline) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
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
     * @throws DryRunDeadlineException when the run takes longer than the deadline; it stops after the event it is on
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
        long start = System.nanoTime();
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<DryRunResult> run = RUNNERS.submit(() -> run(appText, tenant, events, start, cancelled));
        try {
            return run.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            cancelled.set(true);
            throw new DryRunDeadlineException(deadline, -1, events.size());
        } catch (InterruptedException e) {
            cancelled.set(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the dry run ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private DryRunResult run(String appText, String tenant, List<StampedTelemetry> events, long start,
            AtomicBoolean cancelled) {
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
                }, compiler.limits().maxTableRows())) {
            long errorsSoFar = 0;
            for (int i = 0; i < events.size(); i++) {
                // checked between events too, so that the run stops even when the caller gave up waiting
                if (cancelled.get() || System.nanoTime() - start > deadline.toNanos()) {
                    throw new DryRunDeadlineException(deadline, i, events.size());
                }
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
