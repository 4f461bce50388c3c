package io.streamthings.rules.engine;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.event.Event;
import io.siddhi.core.exception.CannotRestoreSiddhiAppStateException;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;
import io.siddhi.core.table.InMemoryTable;
import io.siddhi.core.table.Table;
import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.annotation.Annotation;
import io.siddhi.query.api.annotation.Element;
import io.siddhi.query.api.definition.Attribute;
import io.siddhi.query.api.definition.StreamDefinition;
import io.siddhi.query.api.execution.ExecutionElement;
import io.siddhi.query.api.execution.partition.Partition;
import io.siddhi.query.api.execution.query.Query;
import io.siddhi.query.compiler.SiddhiCompiler;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One compiled rule running for one tenant: a Siddhi runtime fed with telemetry records, whose AlertStream events go
 * to an {@link AlertListener}. An exception inside the app drops the event it was processing, is counted and never
 * reaches the caller; the instance goes on with the next event. Offer events from one thread at a time (Siddhi keeps
 * them in order only then); counters, snapshot and close may be called from any thread.
 */
public final class RuleInstance implements AutoCloseable {

    private static final String TELEMETRY_STREAM = "TelemetryStream";
    private static final String ALERT_STREAM = "AlertStream";
    private static final String DEFAULT_SEVERITY = "warning";
    /** Makes every runtime's name unique in the shared manager, which keeps one runtime per name. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final CompiledRule rule;
    private final String tenant;
    private final boolean playback;
    private final AlertListener listener;
    private final TelemetryAdapter adapter;
    private final SiddhiAppRuntime runtime;
    private final InputHandler input;
    private final List<InMemoryTable> tables = new ArrayList<>();
    private final int maxTableRows;

    // LongAdder: alerts and errors may also be counted on Siddhi's scheduler threads in LIVE mode
    private final LongAdder eventsIn = new LongAdder();
    private final LongAdder eventsSkipped = new LongAdder();
    private final LongAdder eventsOut = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile long lastFiredAt;
    private volatile String lastError;
    private volatile boolean closed;
    /** Set once a table went beyond its row cap: the rule takes no more events, and says why in its last error. */
    private volatile boolean halted;

    private RuleInstance(SiddhiManager manager, CompiledRule rule, String tenant, TimeMode mode,
            AlertListener listener, int maxTableRows) {
        this.rule = rule;
        this.maxTableRows = maxTableRows;
        this.tenant = tenant;
        this.playback = mode == TimeMode.PLAYBACK;
        this.listener = listener;
        this.adapter = new TelemetryAdapter(rule.inputAttributes());
        String name = rule.name() + "." + tenant.replaceAll("[^A-Za-z0-9_-]", "_") + "." + SEQUENCE.incrementAndGet();
        try {
            runtime = manager.createSiddhiAppRuntime(prepare(manager, rule.appText(), name, playback));
        } catch (RuntimeException e) {
            throw new IllegalStateException("rule " + rule.name() + " does not start: " + e.getMessage(), e);
        }
        try {
            runtime.addCallback(ALERT_STREAM, new AlertCallback(runtime.getStreamDefinitionMap().get(ALERT_STREAM)));
            // read by each stream junction when the runtime starts: set it first
            runtime.handleRuntimeExceptionWith(this::recordError);
            runtime.start();
            input = runtime.getInputHandler(TELEMETRY_STREAM);
            for (Table table : runtime.getTables()) {
                if (table instanceof InMemoryTable memory) {
                    tables.add(memory);
                }
            }
        } catch (RuntimeException e) {
            runtime.shutdown();
            throw new IllegalStateException("rule " + rule.name() + " does not start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a Siddhi runtime for a rule.
     *
     * @param manager the manager of the compiler that compiled the rule ({@code RuleCompiler.manager()})
     * @param rule a rule as {@code RuleCompiler.compile} returned it: it is trusted, not checked again
     * @param tenant the tenant the rule belongs to; records of other tenants are skipped
     * @param mode whose clock the rule follows
     * @param listener receives the alerts
     * @throws NullPointerException when an argument is null
     * @throws IllegalStateException when Siddhi cannot build the app (not a rule the compiler accepted)
     */
    public static RuleInstance start(SiddhiManager manager, CompiledRule rule, String tenant, TimeMode mode,
            AlertListener listener) {
        return start(manager, rule, tenant, mode, listener, RuleLimits.DEFAULT_MAX_TABLE_ROWS);
    }

    /**
     * Starts a Siddhi runtime for a rule whose tables may hold at most {@code maxTableRows} rows each: a rule whose
     * table grows beyond stops taking events, with an error of its own (the policy refuses what it can see at
     * compile time; this is for what it cannot, such as a key built from {@code ts}).
     *
     * @throws IllegalArgumentException when maxTableRows is not positive
     * @see #start(SiddhiManager, CompiledRule, String, TimeMode, AlertListener)
     */
    public static RuleInstance start(SiddhiManager manager, CompiledRule rule, String tenant, TimeMode mode,
            AlertListener listener, int maxTableRows) {
        if (maxTableRows <= 0) {
            throw new IllegalArgumentException("maxTableRows must be positive: " + maxTableRows);
        }
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(listener, "listener");
        return new RuleInstance(manager, rule, tenant, mode, listener, maxTableRows);
    }

    /**
     * Sends a record into the app, stamped with the wall clock in LIVE mode or with its {@code ts} in PLAYBACK mode.
     *
     * @return false (counted as skipped) when the record lacks a metric the app declares or is of another tenant
     * @throws NullPointerException when telemetry is null
     * @throws IllegalStateException when the instance is closed
     */
    public boolean offer(StampedTelemetry telemetry) {
        if (closed) {
            throw new IllegalStateException("rule " + rule.name() + " of tenant " + tenant + " is closed");
        }
        // a record reaches only its own tenant's rules, whoever routes it here
        Object[] data = tenant.equals(telemetry.tenant()) && !halted ? adapter.toEvent(telemetry) : null;
        if (data == null) {
            eventsSkipped.increment();
            return false;
        }
        eventsIn.increment();
        try {
            if (playback) {
                input.send(telemetry.record().ts(), data);
            } else {
                input.send(data);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recordError(e);
        } catch (RuntimeException | StackOverflowError e) {
            // Siddhi catches exceptions at each stream junction; whatever still escapes (a query feeding itself
            // overflows the stack) is the rule's error as well
            recordError(e);
        }
        checkTables();
        return true;
    }

    /** Whether a table went beyond its row cap, so that the instance takes no more events. */
    public boolean halted() {
        return halted;
    }

    private void checkTables() {
        for (int i = 0; i < tables.size(); i++) {
            InMemoryTable table = tables.get(i);
            int rows = table.size();
            if (rows > maxTableRows) {
                halted = true;
                recordError(new IllegalStateException("table " + table.getTableDefinition().getId() + " holds "
                        + rows + " rows, more than the " + maxTableRows + " a rule's table may hold: the rule "
                        + "stopped taking events; key the table by something bounded (a device, a tag), or delete "
                        + "rows it no longer needs"));
                return;
            }
        }
    }

    /**
     * The app's Siddhi state (windows, half-matched patterns, tables), to {@link #restore} into an instance of the
     * same rule text.
     *
     * @throws IllegalStateException when the instance is closed
     */
    public byte[] snapshot() {
        if (closed) {
            throw new IllegalStateException("rule " + rule.name() + " of tenant " + tenant + " is closed");
        }
        return runtime.snapshot();
    }

    /**
     * Replaces the app's state with a snapshot of an instance of the same rule text (taken in any mode).
     *
     * @throws NullPointerException when state is null
     * @throws IllegalArgumentException when Siddhi cannot restore the state
     * @throws IllegalStateException when the instance is closed
     */
    public void restore(byte[] state) {
        Objects.requireNonNull(state, "state");
        if (closed) {
            throw new IllegalStateException("rule " + rule.name() + " of tenant " + tenant + " is closed");
        }
        try {
            runtime.restore(state);
        } catch (CannotRestoreSiddhiAppStateException | RuntimeException e) {
            throw new IllegalArgumentException("cannot restore rule " + rule.name() + ": " + e.getMessage(), e);
        }
    }

    /** What the instance has done since it started. */
    public RuleCounters counters() {
        long fired = lastFiredAt;
        return new RuleCounters(eventsIn.sum(), eventsSkipped.sum(), eventsOut.sum(), errors.sum(),
                fired == 0 ? null : fired, lastError);
    }

    /** The rule this instance runs. */
    public CompiledRule rule() {
        return rule;
    }

    /** The tenant this instance runs for. */
    public String tenant() {
        return tenant;
    }

    /** Shuts the Siddhi runtime down (its scheduler threads with it); later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            runtime.shutdown();
        }
    }

    private void recordError(Throwable e) {
        errors.increment();
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The app as this instance runs it: under a unique name, in playback mode if asked, and with every stream it
     * reads set to {@code @OnError(action='STREAM')}. That last part is why: Siddhi's default on an exception is to
     * log it with its stack trace for every event, which a broken rule at thousands of events a second turns into a
     * flood; with STREAM it hands the event to the (unread) fault stream instead, and still tells our listener.
     */
    private static SiddhiApp prepare(SiddhiManager manager, String appText, String name, boolean playback) {
        SiddhiApp app = parse(appText, name);
        Set<String> inferred = inferredStreamsRead(app);
        if (!inferred.isEmpty()) {
            // A stream the app only inserts into has no definition to annotate: learn the types Siddhi infers for
            // it from a throw-away runtime, and define it explicitly
            Map<String, StreamDefinition> definitions;
            SiddhiAppRuntime probe = manager.createSiddhiAppRuntime(parse(appText, name + ".probe"));
            try {
                definitions = probe.getStreamDefinitionMap();
            } finally {
                probe.shutdown();
            }
            for (String id : inferred) {
                StreamDefinition definition = definitions.get(id);
                if (definition != null) {
                    StreamDefinition explicit = StreamDefinition.id(id);
                    for (Attribute attribute : definition.getAttributeList()) {
                        explicit.attribute(attribute.getName(), attribute.getType());
                    }
                    app.defineStream(explicit);
                }
            }
        }
        for (StreamDefinition definition : app.getStreamDefinitionMap().values()) {
            if (!app.getTriggerDefinitionMap().containsKey(definition.getId())) {
                definition.getAnnotations().removeIf(a -> a.getName().equalsIgnoreCase("OnError"));
                definition.annotation(Annotation.annotation("OnError").element("action", "STREAM"));
            }
        }
        if (playback) {
            app.getAnnotations().add(Annotation.annotation("playback"));
        }
        return app;
    }

    private static SiddhiApp parse(String appText, String name) {
        SiddhiApp app = SiddhiCompiler.parse(appText);
        for (Annotation annotation : app.getAnnotations()) {
            if (annotation.getName().equalsIgnoreCase("name")) {
                annotation.setElements(new ArrayList<>(List.of(new Element(null, name))));
            }
        }
        return app;
    }

    /** Streams some query reads that the app never defines: Siddhi infers them from the queries inserting into them. */
    private static Set<String> inferredStreamsRead(SiddhiApp app) {
        Set<String> ids = new LinkedHashSet<>();
        for (ExecutionElement element : app.getExecutionElementList()) {
            List<Query> queries = element instanceof Partition partition ? partition.getQueryList()
                    : element instanceof Query query ? List.of(query) : List.of();
            for (Query query : queries) {
                for (String id : query.getInputStream().getAllStreamIds()) {
                    if (!id.startsWith("#") && !id.startsWith("!") && !app.getStreamDefinitionMap().containsKey(id)
                            && !app.getTableDefinitionMap().containsKey(id)
                            && !app.getWindowDefinitionMap().containsKey(id)) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    /** Turns AlertStream events into alerts; attribute positions resolved once. */
    private final class AlertCallback extends StreamCallback {

        private final String[] names;
        private final int deviceIdAt;
        private final int severityAt;
        private final int messageAt;
        private final int tsAt;

        AlertCallback(StreamDefinition alerts) {
            names = alerts.getAttributeNameArray();
            List<String> list = List.of(names);
            deviceIdAt = list.indexOf("deviceId");
            severityAt = list.indexOf("severity");
            messageAt = list.indexOf("message");
            tsAt = list.indexOf("ts");
        }

        @Override
        public void receive(Event[] events) {
            for (Event event : events) {
                eventsOut.increment();
                lastFiredAt = System.currentTimeMillis();
                try {
                    listener.onAlert(toAlert(event));
                } catch (RuntimeException e) {
                    // not the rule's fault, but thrown back into Siddhi it would drop the event mid-query
                    recordError(e);
                }
            }
        }

        private EmittedAlert toAlert(Event event) {
            Object[] data = event.getData();
            Map<String, Object> values = new LinkedHashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                values.put(names[i], data[i]);
            }
            String deviceId = deviceIdAt < 0 ? null : text(data[deviceIdAt]);
            String severity = severityAt < 0 || data[severityAt] == null ? DEFAULT_SEVERITY : text(data[severityAt]);
            String message = messageAt < 0 || data[messageAt] == null ? rule.name() : text(data[messageAt]);
            long ts = tsAt >= 0 && data[tsAt] instanceof Number n ? n.longValue() : event.getTimestamp();
            return new EmittedAlert(tenant, rule.name(), deviceId, severity, message, ts, values);
        }

        /** A string attribute's value: Siddhi's cast() only relabels a value, so it may hold something else. */
        private static String text(Object value) {
            return value == null || value instanceof String ? (String) value : value.toString();
        }
    }
}
