package io.streamthings.rules.compile;

import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.SiddhiElement;
import io.siddhi.query.api.annotation.Annotation;
import io.siddhi.query.api.definition.AbstractDefinition;
import io.siddhi.query.api.definition.Attribute;
import io.siddhi.query.api.definition.StreamDefinition;
import io.siddhi.query.api.definition.TableDefinition;
import io.siddhi.query.api.definition.TriggerDefinition;
import io.siddhi.query.api.definition.WindowDefinition;
import io.siddhi.query.api.execution.ExecutionElement;
import io.siddhi.query.api.execution.partition.Partition;
import io.siddhi.query.api.execution.query.Query;
import io.siddhi.query.api.execution.query.input.handler.StreamFunction;
import io.siddhi.query.api.execution.query.input.handler.StreamHandler;
import io.siddhi.query.api.execution.query.input.handler.Window;
import io.siddhi.query.api.execution.query.input.state.AbsentStreamStateElement;
import io.siddhi.query.api.execution.query.input.state.CountStateElement;
import io.siddhi.query.api.execution.query.input.state.EveryStateElement;
import io.siddhi.query.api.execution.query.input.state.LogicalStateElement;
import io.siddhi.query.api.execution.query.input.state.NextStateElement;
import io.siddhi.query.api.execution.query.input.state.StateElement;
import io.siddhi.query.api.execution.query.input.state.StreamStateElement;
import io.siddhi.query.api.execution.query.input.stream.AnonymousInputStream;
import io.siddhi.query.api.execution.query.input.stream.InputStream;
import io.siddhi.query.api.execution.query.input.stream.JoinInputStream;
import io.siddhi.query.api.execution.query.input.stream.SingleInputStream;
import io.siddhi.query.api.execution.query.input.stream.StateInputStream;
import io.siddhi.query.api.execution.query.output.ratelimit.EventOutputRate;
import io.siddhi.query.api.execution.query.output.ratelimit.OutputRate;
import io.siddhi.query.api.execution.query.output.ratelimit.SnapshotOutputRate;
import io.siddhi.query.api.execution.query.output.ratelimit.TimeOutputRate;
import io.siddhi.query.api.execution.query.output.stream.InsertIntoStream;
import io.siddhi.query.api.execution.query.output.stream.OutputStream;
import io.siddhi.query.api.expression.Expression;
import io.siddhi.query.api.expression.constant.IntConstant;
import io.siddhi.query.api.expression.constant.LongConstant;
import io.siddhi.query.api.expression.constant.TimeConstant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The platform's policy over a parsed rule app, before Siddhi builds anything from it: what it may read and define,
 * and how much state it may keep. Collects every breach and refuses the app with the first one in source order.
 */
final class RulePolicy {

    static final String TELEMETRY_STREAM = "TelemetryStream";
    static final String ALERT_STREAM = "AlertStream";

    private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Set<String> APP_ANNOTATIONS = Set.of("name", "description");
    private static final String WINDOWS = "a rule may use only the bounded windows time, timeBatch, externalTime, "
            + "externalTimeBatch, timeLength, delay, session (up to %s) and length, lengthBatch, sort "
            + "(up to %s events)";

    /** What the policy learnt about an accepted app. */
    record Accepted(String name, List<TelemetryAttribute> inputAttributes, int[] alertPosition) {}

    private record Breach(String reason, int[] position) {}

    /** A stream some query reads, and the partition it is read in (null outside partitions). */
    private record Read(SingleInputStream stream, Partition partition) {}

    private final RuleLimits limits;
    private final SiddhiApp app;
    private final List<Breach> breaches = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();
    private final Set<String> fed = new HashSet<>();
    private final Set<String> innerFed = new HashSet<>();
    private int[] alertPosition;
    private boolean insertsIntoAlerts;

    private RulePolicy(SiddhiApp app, RuleLimits limits) {
        this.app = app;
        this.limits = limits;
    }

    /**
     * Checks a parsed app against the policy.
     *
     * @throws RuleRejectedException with the first breach in source order (breaches without a position last)
     */
    static Accepted check(SiddhiApp app, RuleLimits limits) {
        RulePolicy policy = new RulePolicy(app, limits);
        String name = policy.checkAppAnnotations();
        List<TelemetryAttribute> input = policy.checkTelemetryStream();
        policy.checkDefinitions();
        policy.checkExecutionElements();
        policy.checkReads();
        if (!policy.insertsIntoAlerts) {
            policy.breach("the app must insert into AlertStream: what it inserts there becomes alerts", null);
        }
        if (!policy.breaches.isEmpty()) {
            Breach first = policy.breaches.stream().min(Comparator
                    .comparingInt((Breach b) -> b.position() == null ? Integer.MAX_VALUE : b.position()[0])
                    .thenComparingInt(b -> b.position() == null ? Integer.MAX_VALUE : b.position()[1]))
                    .orElseThrow();
            throw rejected(first.reason(), first.position());
        }
        return new Accepted(name, input, policy.alertPosition);
    }

    /** A refusal at a Siddhi position ({@code {line, 0-based column}}), or without one when it is null. */
    static RuleRejectedException rejected(String reason, int[] position) {
        if (position == null || position.length < 2 || position[0] <= 0) {
            return new RuleRejectedException(reason, null, null);
        }
        // Siddhi counts lines from 1 but columns from 0 (ANTLR's charPositionInLine)
        return new RuleRejectedException(reason, position[0], position[1] + 1);
    }

    private String checkAppAnnotations() {
        String name = null;
        boolean named = false;
        for (Annotation annotation : app.getAnnotations()) {
            String key = annotation.getName().toLowerCase(Locale.ROOT);
            if (key.equals("name")) {
                named = true;
                name = annotation.getElements().isEmpty() ? "" : annotation.getElements().get(0).getValue();
                if (name == null || !RULE_NAME.matcher(name).matches()) {
                    breach("@App:name '" + name + "' is not a valid rule name: use 1 to 64 lowercase letters, digits,"
                            + " '-' or '_'", annotation.getQueryContextStartIndex());
                }
            } else if (key.equals("playback")) {
                breach("@App:playback is set by the platform, not the app", annotation.getQueryContextStartIndex());
            } else if (!APP_ANNOTATIONS.contains(key)) {
                breach("@App:" + annotation.getName() + " is not allowed in a rule app (only @App:name and "
                        + "@App:description are)", annotation.getQueryContextStartIndex());
            }
        }
        if (!named) {
            breach("@App:name('...') is required: it is the rule's name", null);
        }
        return name;
    }

    private List<TelemetryAttribute> checkTelemetryStream() {
        StreamDefinition telemetry = app.getStreamDefinitionMap().get(TELEMETRY_STREAM);
        if (telemetry == null) {
            breach("the app must define TelemetryStream, the stream the platform feeds, e.g. define stream "
                    + "TelemetryStream (deviceId string, ts long, temperature double)", null);
            return List.of();
        }
        int[] position = telemetry.getQueryContextStartIndex();
        List<TelemetryAttribute> attributes = new ArrayList<>();
        for (Attribute attribute : telemetry.getAttributeList()) {
            String name = attribute.getName();
            Attribute.Type type = attribute.getType();
            String declared = "TelemetryStream attribute " + name + " is " + typeName(type);
            switch (name) {
                case "deviceId" -> {
                    if (type == Attribute.Type.STRING) {
                        attributes.add(new TelemetryAttribute(name, TelemetryAttribute.Kind.DEVICE_ID));
                    } else {
                        breach(declared + ": deviceId must be string", position);
                    }
                }
                case "deviceType" -> {
                    if (type == Attribute.Type.STRING) {
                        attributes.add(new TelemetryAttribute(name, TelemetryAttribute.Kind.DEVICE_TYPE));
                    } else {
                        breach(declared + ": deviceType must be string", position);
                    }
                }
                case "ts" -> {
                    if (type == Attribute.Type.LONG) {
                        attributes.add(new TelemetryAttribute(name, TelemetryAttribute.Kind.TS));
                    } else {
                        breach(declared + ": ts must be long (epoch milliseconds)", position);
                    }
                }
                default -> {
                    if (type == Attribute.Type.DOUBLE) {
                        attributes.add(new TelemetryAttribute(name, TelemetryAttribute.Kind.METRIC));
                    } else if (type == Attribute.Type.STRING) {
                        attributes.add(new TelemetryAttribute(name, TelemetryAttribute.Kind.TAG));
                    } else {
                        breach(declared + ": a metric must be double and a tag string", position);
                    }
                }
            }
        }
        return attributes;
    }

    private void checkDefinitions() {
        for (StreamDefinition stream : app.getStreamDefinitionMap().values()) {
            checkDefinitionAnnotations(stream);
        }
        for (TableDefinition table : app.getTableDefinitionMap().values()) {
            checkDefinitionAnnotations(table);
            Annotation key = findAnnotation(table.getAnnotations(), "PrimaryKey");
            if (key == null) {
                breach("table " + table.getId() + " needs @PrimaryKey('...'): only its keys bound how much it holds",
                        table.getQueryContextStartIndex());
            } else {
                checkTableKey(table, key);
            }
        }
        for (TriggerDefinition trigger : app.getTriggerDefinitionMap().values()) {
            Long every = trigger.getAtEvery();
            if (every != null && every < limits.minTimerPeriod().toMillis()) {
                breach("trigger " + trigger.getId() + " fires every " + human(every) + ": a rule's timers fire at most "
                        + "once every " + human(limits.minTimerPeriod().toMillis()),
                        trigger.getQueryContextStartIndex());
            }
        }
        for (WindowDefinition window : app.getWindowDefinitionMap().values()) {
            checkDefinitionAnnotations(window);
            checkWindow(window.getWindow(), window.getQueryContextStartIndex());
        }
        app.getFunctionDefinitionMap().values().forEach(function -> breach("define function " + function.getId()
                + " is not allowed: rules cannot run scripts", function.getQueryContextStartIndex()));
        app.getAggregationDefinitionMap().values().forEach(aggregation -> breach("define aggregation "
                + aggregation.getId() + " is not allowed: its state is unbounded",
                aggregation.getQueryContextStartIndex()));
    }

    /**
     * A key that takes a new value with (nearly) every reading, such as {@code ts} or a measurement, grows the table
     * by a row per event until the rule runs out of memory: keys must be strings (a device, a tag) or ints. What the
     * policy cannot see (a string built from {@code ts}) the running rule's row cap stops.
     */
    private void checkTableKey(TableDefinition table, Annotation key) {
        int[] position = key.getQueryContextStartIndex() != null ? key.getQueryContextStartIndex()
                : table.getQueryContextStartIndex();
        for (io.siddhi.query.api.annotation.Element element : key.getElements()) {
            for (String name : String.valueOf(element.getValue()).split(",")) {
                String attribute = name.trim();
                Attribute.Type type = table.getAttributeList().stream().filter(a -> a.getName().equals(attribute))
                        .map(Attribute::getType).findFirst().orElse(null);
                if (attribute.equals("ts") || type == Attribute.Type.LONG || type == Attribute.Type.DOUBLE
                        || type == Attribute.Type.FLOAT) {
                    breach("table " + table.getId() + " is keyed by " + attribute + " (" + (type == null ? "?"
                            : typeName(type)) + "): a key that takes a new value with every reading grows the table "
                            + "without bound; key it by deviceId, a tag or another string", position);
                }
            }
        }
    }

    private void checkDefinitionAnnotations(AbstractDefinition definition) {
        for (Annotation annotation : definition.getAnnotations()) {
            String key = annotation.getName().toLowerCase(Locale.ROOT);
            int[] position = annotation.getQueryContextStartIndex() != null
                    ? annotation.getQueryContextStartIndex() : definition.getQueryContextStartIndex();
            switch (key) {
                case "source", "sink", "store" -> breach("@" + annotation.getName() + " on " + definition.getId()
                        + " is not allowed: a source, sink or store could read other tenants' data or send data "
                        + "out of the process; the platform feeds TelemetryStream and takes alerts from AlertStream",
                        position);
                case "async" -> breach("@async on " + definition.getId() + " is not allowed: the platform runs each "
                        + "rule on the thread that feeds it", position);
                default -> { }
            }
        }
    }

    private void checkExecutionElements() {
        for (ExecutionElement element : app.getExecutionElementList()) {
            if (element instanceof Query query) {
                checkQuery(query, null);
            } else if (element instanceof Partition partition) {
                for (Query query : partition.getQueryList()) {
                    checkQuery(query, partition);
                }
            }
        }
    }

    private void checkQuery(Query query, Partition partition) {
        checkInput(query.getInputStream(), query, partition);
        checkOutputRate(query.getOutputRate(), query);
        OutputStream output = query.getOutputStream();
        if (output instanceof InsertIntoStream insert) {
            String id = plainId(insert.getId());
            if (insert.isInnerStream()) {
                // inner streams (#Name) live in their partition; several partitions may reuse a name
                innerFed.add(innerKey(partition, id));
            } else if (!insert.isFaultStream()) {
                fed.add(id);
                if (id.equals(TELEMETRY_STREAM)) {
                    breach("the app must not insert into TelemetryStream: the platform feeds it (and the app would "
                            + "feed itself in a loop)", positionOf(output, query));
                } else if (id.equals(ALERT_STREAM)) {
                    insertsIntoAlerts = true;
                    if (alertPosition == null) {
                        alertPosition = positionOf(output, query);
                    }
                }
            }
        }
    }

    private void checkInput(InputStream input, Query query, Partition partition) {
        if (input instanceof AnonymousInputStream anonymous) {
            checkQuery(anonymous.getQuery(), partition);
        } else if (input instanceof SingleInputStream single) {
            reads.add(new Read(single, partition));
            checkHandlers(single.getStreamHandlers(), positionOf(single, query));
        } else if (input instanceof JoinInputStream join) {
            checkInput(join.getLeftInputStream(), query, partition);
            checkInput(join.getRightInputStream(), query, partition);
            checkJoin(join, query);
        } else if (input instanceof StateInputStream state) {
            String kind = state.getStateType() == StateInputStream.Type.SEQUENCE ? "sequence" : "pattern";
            TimeConstant within = state.getWithinTime();
            if (within == null) {
                breach("a " + kind + " needs `within` (at most " + human(limits.maxWithin().toMillis())
                        + ") so that half-matched events expire", positionOf(state, query));
            } else if (within.value() > limits.maxWithin().toMillis()) {
                breach("within " + human(within.value()) + " is longer than the " + human(limits.maxWithin().toMillis())
                        + " allowed", positionOf(within, positionOf(state, query)));
            }
            checkState(state.getStateElement(), query, partition);
        }
    }

    /**
     * A join of two windows compares each arriving event with every event the other window holds: both windows must
     * be bounded in events, and the product of their sizes (the pairs a join may consider) within the limit. A side
     * without a window holds nothing, and a table is bounded by its row cap.
     */
    private void checkJoin(JoinInputStream join, Query query) {
        Long left = eventsHeld(join.getLeftInputStream());
        Long right = eventsHeld(join.getRightInputStream());
        if (left == null || right == null) {
            return;
        }
        int[] position = positionOf(join, query);
        if (left < 0 || right < 0) {
            breach("a join of two windows needs both bounded by a number of events (length, lengthBatch, sort or "
                    + "timeLength): a time window holds every event of its time, so the pairs the join compares "
                    + "have no bound", position);
        } else if (left * right > limits.maxJoinProduct()) {
            breach("a join of windows of " + count(left) + " and " + count(right) + " events compares up to "
                    + count(left * right) + " pairs, more than the " + count(limits.maxJoinProduct())
                    + " allowed: make the windows smaller", position);
        }
    }

    /** The events a join side's window holds: null when it holds none (no window, a table), -1 when unbounded. */
    private Long eventsHeld(InputStream side) {
        if (!(side instanceof SingleInputStream single)) {
            return null;
        }
        Window window = null;
        for (StreamHandler handler : single.getStreamHandlers() == null ? List.<StreamHandler>of()
                : single.getStreamHandlers()) {
            if (handler instanceof Window w) {
                window = w;
            }
        }
        if (window == null) {
            WindowDefinition named = app.getWindowDefinitionMap().get(plainId(single.getStreamId()));
            window = named == null ? null : named.getWindow();
        }
        if (window == null) {
            return null;
        }
        Expression[] parameters = window.getParameters() == null ? new Expression[0] : window.getParameters();
        Long events = switch (window.getName().toLowerCase(Locale.ROOT)) {
            case "length", "lengthbatch", "sort" -> parameters.length > 0 ? constant(parameters[0]) : null;
            case "timelength" -> parameters.length > 1 ? constant(parameters[1]) : null;
            default -> null;
        };
        return events == null ? -1L : events;
    }

    private void checkState(StateElement element, Query query, Partition partition) {
        if (element instanceof StreamStateElement stream) {
            if (stream instanceof AbsentStreamStateElement absent && absent.getWaitingTime() != null
                    && absent.getWaitingTime().value() > limits.maxWithin().toMillis()) {
                breach("waiting for " + human(absent.getWaitingTime().value()) + " is longer than the "
                        + human(limits.maxWithin().toMillis()) + " allowed",
                        positionOf(absent.getWaitingTime(), positionOf(absent, query)));
            }
            checkInput(stream.getBasicSingleInputStream(), query, partition);
        } else if (element instanceof EveryStateElement every) {
            checkState(every.getStateElement(), query, partition);
        } else if (element instanceof NextStateElement next) {
            checkState(next.getStateElement(), query, partition);
            checkState(next.getNextStateElement(), query, partition);
        } else if (element instanceof LogicalStateElement logical) {
            checkState(logical.getStreamStateElement1(), query, partition);
            checkState(logical.getStreamStateElement2(), query, partition);
        } else if (element instanceof CountStateElement count) {
            checkState(count.getStreamStateElement(), query, partition);
        }
    }

    private void checkHandlers(List<StreamHandler> handlers, int[] fallback) {
        if (handlers == null) {
            return;
        }
        for (StreamHandler handler : handlers) {
            if (handler instanceof Window window) {
                checkWindow(window, fallback);
            } else if (handler instanceof StreamFunction function && function.getName().equalsIgnoreCase("log")
                    && isBlank(function.getNamespace())) {
                breach("#log is not allowed: it would write every event to the server's log",
                        positionOf(function, fallback));
            }
        }
    }

    private void checkWindow(Window window, int[] fallback) {
        int[] position = positionOf(window, fallback);
        String name = window.getName();
        String shown = "window." + (isBlank(window.getNamespace()) ? "" : window.getNamespace() + ":") + name;
        if (!isBlank(window.getNamespace())) {
            breach(shown + " is not allowed: " + allowedWindows(), position);
            return;
        }
        Expression[] parameters = window.getParameters() == null ? new Expression[0] : window.getParameters();
        switch (name.toLowerCase(Locale.ROOT)) {
            case "time", "delay" -> checkDuration(shown, parameters, 0, position);
            case "timebatch" -> {
                checkDuration(shown, parameters, 0, position);
                Long period = parameters.length > 0 ? constant(parameters[0]) : null;
                if (period != null && period < limits.minTimerPeriod().toMillis()) {
                    breach(shown + "(" + human(period) + ") fires too often: a rule's timers fire at most once every "
                            + human(limits.minTimerPeriod().toMillis()), position);
                }
            }
            case "session" -> {
                checkDuration(shown, parameters, 0, position);
                if (parameters.length > 2) {
                    checkDuration(shown, parameters, 2, position);
                }
            }
            case "externaltime", "externaltimebatch" -> checkDuration(shown, parameters, 1, position);
            case "timelength" -> {
                checkDuration(shown, parameters, 0, position);
                checkLength(shown, parameters, 1, position);
            }
            case "length", "lengthbatch", "sort" -> checkLength(shown, parameters, 0, position);
            default -> breach(shown + " is not allowed: " + allowedWindows(), position);
        }
    }

    private void checkDuration(String window, Expression[] parameters, int index, int[] position) {
        Long millis = index < parameters.length ? constant(parameters[index]) : null;
        if (millis == null) {
            breach(window + " needs a constant duration (at most " + human(limits.maxWindowTime().toMillis())
                    + ") as parameter " + (index + 1), position);
        } else if (millis > limits.maxWindowTime().toMillis()) {
            breach(window + "(" + human(millis) + ") is longer than the " + human(limits.maxWindowTime().toMillis())
                    + " allowed", position);
        }
    }

    private void checkLength(String window, Expression[] parameters, int index, int[] position) {
        Long length = index < parameters.length ? constant(parameters[index]) : null;
        if (length == null) {
            breach(window + " needs a constant number of events (at most " + count(limits.maxWindowLength())
                    + ") as parameter " + (index + 1), position);
        } else if (length > limits.maxWindowLength()) {
            breach(window + "(" + length + ") holds more than the " + count(limits.maxWindowLength())
                    + " events allowed", position);
        }
    }

    private void checkOutputRate(OutputRate rate, Query query) {
        if (rate == null) {
            return;
        }
        int[] position = positionOf(rate, query);
        if (rate instanceof EventOutputRate events && events.getValue() != null
                && events.getValue() > limits.maxWindowLength()) {
            breach("output every " + events.getValue() + " events holds more than the "
                    + count(limits.maxWindowLength()) + " events allowed", position);
        }
        Long millis = rate instanceof TimeOutputRate time ? time.getValue()
                : rate instanceof SnapshotOutputRate snapshot ? snapshot.getValue() : null;
        if (millis != null && millis > limits.maxWindowTime().toMillis()) {
            breach("output every " + human(millis) + " is longer than the " + human(limits.maxWindowTime().toMillis())
                    + " allowed", position);
        } else if (millis != null && millis < limits.minTimerPeriod().toMillis()) {
            breach("output every " + human(millis) + " fires too often: a rule's timers fire at most once every "
                    + human(limits.minTimerPeriod().toMillis()), position);
        }
    }

    /** Every stream a query reads must be fed: by the platform (TelemetryStream), a trigger or a query of the app. */
    private void checkReads() {
        for (Read read : reads) {
            SingleInputStream stream = read.stream();
            String id = plainId(stream.getStreamId());
            int[] position = stream.getQueryContextStartIndex();
            if (stream.isInnerStream()) {
                if (!innerFed.contains(innerKey(read.partition(), id))) {
                    breach("#" + id + " is read but no query of its partition inserts into it", position);
                }
            } else if (stream.isFaultStream()) {
                StreamDefinition definition = app.getStreamDefinitionMap().get(id);
                Annotation onError = definition == null ? null
                        : findAnnotation(definition.getAnnotations(), "OnError");
                String action = onError == null ? null : onError.getElement("action");
                if (action == null || !action.equalsIgnoreCase("STREAM")) {
                    breach("!" + id + " is read but nothing feeds it: only a stream defined with "
                            + "@OnError(action='STREAM') has a fault stream", position);
                }
            } else if (!id.equals(TELEMETRY_STREAM) && !fed.contains(id)
                    && !app.getTriggerDefinitionMap().containsKey(id)
                    && !app.getTableDefinitionMap().containsKey(id)
                    && !app.getAggregationDefinitionMap().containsKey(id)) {
                boolean defined = app.getStreamDefinitionMap().containsKey(id)
                        || app.getWindowDefinitionMap().containsKey(id);
                breach(id + (defined ? " is read but nothing feeds it" : " is not defined")
                        + ": the platform feeds only TelemetryStream, any other stream must be inserted into by a "
                        + "query of the app", position);
            }
        }
    }

    private void breach(String reason, int[] position) {
        breaches.add(new Breach(reason, position));
    }

    private String allowedWindows() {
        return String.format(Locale.ROOT, WINDOWS, human(limits.maxWindowTime().toMillis()),
                count(limits.maxWindowLength()));
    }

    private static Annotation findAnnotation(List<Annotation> annotations, String name) {
        for (Annotation annotation : annotations) {
            if (annotation.getName().equalsIgnoreCase(name)) {
                return annotation;
            }
        }
        return null;
    }

    /** The value of an int or long constant (a time constant is a long of milliseconds), else null. */
    private static Long constant(Expression expression) {
        if (expression instanceof LongConstant value) {
            return value.getValue();
        }
        if (expression instanceof IntConstant value) {
            return (long) value.getValue();
        }
        return null;
    }

    /** Siddhi names inner and fault streams with a '#' or '!' prefix in some places and not in others. */
    private static String plainId(String id) {
        return id.startsWith("#") || id.startsWith("!") ? id.substring(1) : id;
    }

    private static String innerKey(Partition partition, String id) {
        return System.identityHashCode(partition) + "#" + id;
    }

    private static int[] positionOf(SiddhiElement element, Query query) {
        return positionOf(element, query.getQueryContextStartIndex());
    }

    private static int[] positionOf(SiddhiElement element, int[] fallback) {
        return element.getQueryContextStartIndex() != null ? element.getQueryContextStartIndex() : fallback;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    private static String typeName(Attribute.Type type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A duration as its author would write it in SiddhiQL: "30 days", "24 hours", "90 seconds", "1500 ms". */
    static String human(long millis) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"day", "hour", "minute", "second"};
        for (int i = 0; i < units.length; i++) {
            // "24 hours" reads better than "1 day"; days from two on
            if (millis >= (i == 0 ? 2 * units[i] : units[i]) && millis % units[i] == 0) {
                long n = millis / units[i];
                return n + " " + names[i] + (n == 1 ? "" : "s");
            }
        }
        return millis + " ms";
    }
}
