package io.streamthings.rules.compile;

import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.annotation.Annotation;
import io.siddhi.query.api.annotation.Element;
import io.siddhi.query.api.definition.Attribute;
import io.siddhi.query.api.definition.StreamDefinition;
import io.siddhi.query.api.definition.TableDefinition;
import io.siddhi.query.api.execution.ExecutionElement;
import io.siddhi.query.api.execution.partition.Partition;
import io.siddhi.query.api.execution.partition.PartitionType;
import io.siddhi.query.api.execution.partition.ValuePartitionType;
import io.siddhi.query.api.execution.query.Query;
import io.siddhi.query.api.execution.query.input.handler.Filter;
import io.siddhi.query.api.execution.query.input.handler.StreamHandler;
import io.siddhi.query.api.execution.query.input.handler.Window;
import io.siddhi.query.api.execution.query.input.stream.InputStream;
import io.siddhi.query.api.execution.query.input.stream.JoinInputStream;
import io.siddhi.query.api.execution.query.input.stream.SingleInputStream;
import io.siddhi.query.api.execution.query.output.stream.DeleteStream;
import io.siddhi.query.api.execution.query.output.stream.OutputStream;
import io.siddhi.query.api.execution.query.output.stream.UpdateOrInsertStream;
import io.siddhi.query.api.execution.query.output.stream.UpdateStream;
import io.siddhi.query.api.execution.query.selection.OutputAttribute;
import io.siddhi.query.api.expression.AttributeFunction;
import io.siddhi.query.api.expression.Expression;
import io.siddhi.query.api.expression.Variable;
import io.siddhi.query.api.expression.condition.And;
import io.siddhi.query.api.expression.condition.Compare;
import io.siddhi.query.api.expression.condition.In;
import io.siddhi.query.api.expression.condition.IsNull;
import io.siddhi.query.api.expression.condition.Not;
import io.siddhi.query.api.expression.condition.Or;
import io.siddhi.query.api.expression.math.Add;
import io.siddhi.query.api.expression.math.Divide;
import io.siddhi.query.api.expression.math.Mod;
import io.siddhi.query.api.expression.math.Multiply;
import io.siddhi.query.api.expression.math.Subtract;
import io.siddhi.query.compiler.SiddhiCompiler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a rule app keeps state per device only, so that it can run on each partition of telemetry.raw (keyed by
 * device) on its own; or per value of another attribute (a {@code site} tag, say), so that it can run on each
 * partition of rules.by-tenant when the records are forwarded keyed by that value; otherwise it correlates records
 * across any of them and must see all of its tenant's records in one runtime.
 *
 * <p>Conservative: keyed by an attribute K (below, "the device" is the event's value of K) only when all state is
 * one of
 * <ul>
 *   <li>queries inside {@code partition with (K of TelemetryStream)} that read TelemetryStream or the
 *       partition's inner streams;</li>
 *   <li>tables whose primary key is K alone, touched only by a query's event of that very device: a
 *       join or an {@code in} whose condition requires {@code Table.K == K}, and writes whose
 *       {@code on} requires it, where {@code K} is the value of the event, passed on unchanged from
 *       TelemetryStream.</li>
 * </ul>
 * Everything outside partitions must otherwise be plain filters and projections.
 */
public final class RuleScope {

    private static final String TELEMETRY = "TelemetryStream";
    public static final String DEVICE_ID = "deviceId";
    /** The attribute the app's state is keyed by, the one under test. */
    private final String key;
    private static final Set<String> AGGREGATORS = Set.of("avg", "sum", "count", "distinctcount", "max", "min",
            "maxforever", "minforever", "stddev", "and", "or", "unionset");

    private final SiddhiApp app;
    /** Queries outside partitions, and inside per-device partitions. */
    private final List<Query> outside = new ArrayList<>();
    private final List<Query> inside = new ArrayList<>();
    /** Streams whose deviceId is always the device the event is about. */
    private final Set<String> deviceKeyed = new HashSet<>();
    /** Streams that carry nothing but Siddhi's clock. */
    private final Set<String> clocks = new HashSet<>();

    private RuleScope(SiddhiApp app, String key) {
        this.app = app;
        this.key = key;
    }

    /** True when the app's state is per device; the app must have compiled. */
    public static boolean deviceScoped(String appText) {
        return DEVICE_ID.equals(key(appText));
    }

    /**
     * The {@code TelemetryStream} attribute that all of the app's state is keyed by: {@code deviceId} when it is per
     * device, another string attribute (a tag such as {@code site}, or {@code deviceType}) when it is per value of
     * that attribute, null when the app correlates records across any of them. The app must have compiled.
     */
    public static String key(String appText) {
        SiddhiApp app = SiddhiCompiler.parse(appText);
        for (String candidate : candidateKeys(app)) {
            if (new RuleScope(app, candidate).decide()) {
                return candidate;
            }
        }
        return null;
    }

    /** deviceId first, then the string attributes of TelemetryStream that a partition or a table's key names. */
    private static Set<String> candidateKeys(SiddhiApp app) {
        Set<String> named = new HashSet<>();
        for (ExecutionElement element : app.getExecutionElementList()) {
            if (element instanceof Partition partition
                    && partition.getPartitionTypeMap().get(TELEMETRY) instanceof ValuePartitionType value
                    && value.getExpression() instanceof Variable variable) {
                named.add(variable.getAttributeName());
            }
        }
        for (TableDefinition table : app.getTableDefinitionMap().values()) {
            for (Annotation annotation : table.getAnnotations()) {
                if (annotation.getName().equalsIgnoreCase("PrimaryKey") && annotation.getElements().size() == 1) {
                    named.add(annotation.getElements().get(0).getValue());
                }
            }
        }
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(DEVICE_ID);
        StreamDefinition telemetry = app.getStreamDefinitionMap().get(TELEMETRY);
        if (telemetry != null) {
            for (Attribute attribute : telemetry.getAttributeList()) {
                if (attribute.getType() == Attribute.Type.STRING && named.contains(attribute.getName())) {
                    candidates.add(attribute.getName());
                }
            }
        }
        return candidates;
    }

    private boolean decide() {
        if (!app.getWindowDefinitionMap().isEmpty() || !app.getAggregationDefinitionMap().isEmpty()) {
            return false;
        }
        for (TableDefinition table : app.getTableDefinitionMap().values()) {
            if (!keyedByDeviceAlone(table)) {
                return false;
            }
        }
        for (ExecutionElement element : app.getExecutionElementList()) {
            if (element instanceof Partition partition) {
                if (!partitionsTelemetryByDevice(partition)) {
                    return false;
                }
                inside.addAll(partition.getQueryList());
            } else if (element instanceof Query query) {
                outside.add(query);
            }
        }
        findClockStreams();
        findDeviceKeyedStreams();
        for (Query query : inside) {
            if (!readsOnlyItsDevice(query, true) || !writesOnlyItsDevice(query, true)) {
                return false;
            }
        }
        for (Query query : outside) {
            boolean clock = clocks.contains(query.getOutputStream().getId());
            if (!clock && !stateless(query) || !readsOnlyItsDevice(query, false) || !writesOnlyItsDevice(query, false)) {
                return false;
            }
        }
        return true;
    }

    private boolean keyedByDeviceAlone(TableDefinition table) {
        boolean hasDeviceId = false;
        for (Attribute attribute : table.getAttributeList()) {
            hasDeviceId |= attribute.getName().equals(key) && attribute.getType() == Attribute.Type.STRING;
        }
        for (Annotation annotation : table.getAnnotations()) {
            if (annotation.getName().equalsIgnoreCase("PrimaryKey")) {
                List<Element> keys = annotation.getElements();
                return hasDeviceId && keys.size() == 1 && key.equals(keys.get(0).getValue());
            }
        }
        return false;
    }

    private boolean partitionsTelemetryByDevice(Partition partition) {
        PartitionType type = partition.getPartitionTypeMap().get(TELEMETRY);
        return type instanceof ValuePartitionType value
                && value.getExpression() instanceof Variable variable
                && variable.getAttributeName().equals(key)
                && partition.getPartitionTypeMap().size() == 1;
    }

    /** Triggers, and streams whose every producer selects only clock values from a single stream. */
    private void findClockStreams() {
        clocks.addAll(app.getTriggerDefinitionMap().keySet());
        Map<String, List<Query>> producers = new HashMap<>();
        for (Query query : outside) {
            producers.computeIfAbsent(query.getOutputStream().getId(), k -> new ArrayList<>()).add(query);
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, List<Query>> entry : producers.entrySet()) {
                if (!clocks.contains(entry.getKey()) && !isTable(entry.getKey())
                        && entry.getValue().stream().allMatch(this::selectsOnlyTheClock)) {
                    clocks.add(entry.getKey());
                    grew = true;
                }
            }
        }
    }

    private boolean selectsOnlyTheClock(Query query) {
        // no filter either: a clock that ticks only on some devices' readings would time the others by theirs
        if (!(query.getInputStream() instanceof SingleInputStream input) || !input.getStreamHandlers().isEmpty()) {
            return false;
        }
        List<OutputAttribute> selection = query.getSelector().getSelectionList();
        if (selection.isEmpty()) {
            return clocks.contains(input.getStreamId());
        }
        for (OutputAttribute attribute : selection) {
            Expression e = attribute.getExpression();
            boolean clock = e instanceof AttributeFunction f && f.getName().equals("eventTimestamp")
                    && (f.getNamespace() == null || f.getNamespace().isEmpty())
                    && (f.getParameters() == null || f.getParameters().length == 0)
                    || e instanceof Variable && clocks.contains(input.getStreamId());
            if (!clock) {
                return false;
            }
        }
        return true;
    }

    /**
     * Grows the set of device-keyed streams from TelemetryStream to a fixed point: a stream is device-keyed when
     * every query inserting into it passes deviceId on from a device-keyed input (inside a per-device partition any
     * input will do, all its events are of one device).
     */
    private void findDeviceKeyedStreams() {
        deviceKeyed.add(TELEMETRY);
        Map<String, List<Query>> producers = new HashMap<>();
        for (Query query : inside) {
            producers.computeIfAbsent(query.getOutputStream().getId(), k -> new ArrayList<>()).add(query);
        }
        for (Query query : outside) {
            producers.computeIfAbsent(query.getOutputStream().getId(), k -> new ArrayList<>()).add(query);
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, List<Query>> entry : producers.entrySet()) {
                if (!deviceKeyed.contains(entry.getKey())
                        && entry.getValue().stream().allMatch(q -> passesDeviceOn(q, inside.contains(q)))) {
                    deviceKeyed.add(entry.getKey());
                    grew = true;
                }
            }
        }
    }

    /** Whether the query's output deviceId is the device of the event that caused it. */
    private boolean passesDeviceOn(Query query, boolean inPartition) {
        Expression selected = selectedDeviceId(query);
        if (!(selected instanceof Variable variable) || !variable.getAttributeName().equals(key)) {
            return false;
        }
        if (inPartition) {
            return true;
        }
        SingleInputStream source = deviceSide(query.getInputStream());
        if (source == null) {
            return false;
        }
        if (query.getInputStream() instanceof JoinInputStream join && variable.getStreamId() != null
                && !refersTo(variable, source)) {
            // the row's deviceId: the device itself when an inner join found the row by it, or by the clock
            SingleInputStream table = otherSide(join, source);
            return refersTo(variable, table) && inner(join)
                    && (clocks.contains(source.getStreamId())
                        || deviceKeyed.contains(source.getStreamId())
                           && requiresSameDevice(join.getOnCompare(), table, source));
        }
        return deviceKeyed.contains(source.getStreamId())
                && (variable.getStreamId() == null || refersTo(variable, source));
    }

    private static SingleInputStream otherSide(JoinInputStream join, SingleInputStream side) {
        return (SingleInputStream) (side == join.getLeftInputStream() ? join.getRightInputStream()
                : join.getLeftInputStream());
    }

    private static boolean inner(JoinInputStream join) {
        return join.getType() == JoinInputStream.Type.JOIN || join.getType() == JoinInputStream.Type.INNER_JOIN;
    }

    /** The expression the query selects as deviceId; for {@code select *} of a single stream, its own deviceId. */
    private Expression selectedDeviceId(Query query) {
        List<OutputAttribute> selection = query.getSelector().getSelectionList();
        if (selection.isEmpty()) {
            return query.getInputStream() instanceof SingleInputStream ? Variable.variable(key) : null;
        }
        for (OutputAttribute attribute : selection) {
            if (attribute.getRename().equals(key)) {
                return attribute.getExpression();
            }
        }
        return null;
    }

    /** The stream side of a query: its single input, or the stream joined with a table; null for anything else. */
    private SingleInputStream deviceSide(InputStream input) {
        if (input instanceof SingleInputStream single) {
            return single;
        }
        if (input instanceof JoinInputStream join
                && join.getLeftInputStream() instanceof SingleInputStream left
                && join.getRightInputStream() instanceof SingleInputStream right) {
            boolean leftTable = isTable(left.getStreamId());
            boolean rightTable = isTable(right.getStreamId());
            if (leftTable != rightTable) {
                return leftTable ? right : left;
            }
        }
        return null;
    }

    /**
     * Reads of tables (joins, {@code in}) only ever look at the row of the event's own device, and a query inside a
     * partition reads no stream from outside it (which would reach every device's instance).
     */
    private boolean readsOnlyItsDevice(Query query, boolean inPartition) {
        InputStream input = query.getInputStream();
        if (inPartition) {
            for (String id : input.getAllStreamIds()) {
                if (!id.equals(TELEMETRY) && !id.startsWith("#") && !isTable(id)) {
                    return false;
                }
            }
        }
        if (input instanceof JoinInputStream join) {
            SingleInputStream stream = deviceSide(join);
            if (stream == null) {
                // two streams joined: per device only inside a per-device partition
                return inPartition && !readsTable(join) && inExpressionsKeyed(query, null, true);
            }
            SingleInputStream table = otherSide(join, stream);
            if (!inPartition && clocks.contains(stream.getStreamId())) {
                return inner(join) && !hasWindow(stream) && inExpressionsKeyed(query, stream, false);
            }
            return (inPartition || deviceKeyed.contains(stream.getStreamId()) && !hasWindow(stream))
                    && requiresSameDevice(join.getOnCompare(), table, stream)
                    && inExpressionsKeyed(query, stream, inPartition);
        }
        return inExpressionsKeyed(query, input instanceof SingleInputStream s ? s : null, inPartition);
    }

    private boolean readsTable(JoinInputStream join) {
        return join.getAllStreamIds().stream().anyMatch(this::isTable);
    }

    /** Every {@code in Table} of the query's filters and selection requires {@code Table.deviceId == deviceId}. */
    private boolean inExpressionsKeyed(Query query, SingleInputStream stream, boolean inPartition) {
        List<Expression> expressions = new ArrayList<>();
        if (query.getInputStream() instanceof SingleInputStream single) {
            for (StreamHandler handler : single.getStreamHandlers()) {
                if (handler instanceof Filter filter) {
                    expressions.add(filter.getParameters()[0]);
                }
            }
        }
        for (OutputAttribute attribute : query.getSelector().getSelectionList()) {
            expressions.add(attribute.getExpression());
        }
        if (query.getSelector().getHavingExpression() != null) {
            expressions.add(query.getSelector().getHavingExpression());
        }
        for (Expression expression : expressions) {
            for (In in : ins(expression, new ArrayList<>())) {
                if (stream == null || !inPartition && !deviceKeyed.contains(stream.getStreamId())
                        || !requiresSameDevice(in.getExpression(), in.getSourceId(), stream)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes into tables only touch the row of the event's own device. */
    private boolean writesOnlyItsDevice(Query query, boolean inPartition) {
        OutputStream output = query.getOutputStream();
        if (!isTable(output.getId())) {
            return true;
        }
        if (!passesDeviceOn(query, inPartition)) {
            return false;
        }
        Expression on = output instanceof UpdateOrInsertStream upsert ? upsert.getOnUpdateExpression()
                : output instanceof UpdateStream update ? update.getOnUpdateExpression()
                : output instanceof DeleteStream delete ? delete.getOnDeleteExpression()
                : null;
        // a plain insert writes the row of the deviceId it passes on
        return on == null || requiresSameDevice(on, output.getId(), null);
    }

    /** Whether the condition has a conjunct {@code table.deviceId == deviceId} (of the stream, or unqualified). */
    private boolean requiresSameDevice(Expression condition, SingleInputStream table, SingleInputStream stream) {
        if (condition instanceof And and) {
            return requiresSameDevice(and.getLeftExpression(), table, stream)
                    || requiresSameDevice(and.getRightExpression(), table, stream);
        }
        if (condition instanceof Compare compare && compare.getOperator() == Compare.Operator.EQUAL
                && compare.getLeftExpression() instanceof Variable left
                && compare.getRightExpression() instanceof Variable right
                && left.getAttributeName().equals(key) && right.getAttributeName().equals(key)) {
            return refersTo(left, table) && isEventSide(right, table, stream)
                    || refersTo(right, table) && isEventSide(left, table, stream);
        }
        return false;
    }

    private boolean requiresSameDevice(Expression condition, String tableId, SingleInputStream stream) {
        return requiresSameDevice(condition, InputStream.stream(tableId), stream);
    }

    private static boolean isEventSide(Variable variable, SingleInputStream table, SingleInputStream stream) {
        if (variable.getStreamId() == null) {
            return true;
        }
        return !refersTo(variable, table) && (stream == null || refersTo(variable, stream));
    }

    private static boolean refersTo(Variable variable, SingleInputStream stream) {
        String id = variable.getStreamId();
        return id != null && (id.equals(stream.getStreamId()) || id.equals(stream.getStreamReferenceId()));
    }

    private boolean isTable(String id) {
        return app.getTableDefinitionMap().containsKey(id);
    }

    private static boolean hasWindow(SingleInputStream stream) {
        return stream.getStreamHandlers().stream().anyMatch(h -> h instanceof Window);
    }

    /** No windows, grouping, output rate or aggregates: each event's output depends on that event (and tables). */
    private boolean stateless(Query query) {
        InputStream input = query.getInputStream();
        if (query.getOutputRate() != null) {
            return false;
        }
        if (input instanceof JoinInputStream join) {
            SingleInputStream stream = deviceSide(join);
            if (stream == null || hasWindow(stream)) {
                return false;
            }
        } else if (!(input instanceof SingleInputStream single) || hasWindow(single)) {
            return false;
        }
        if (!query.getSelector().getGroupByList().isEmpty() || query.getSelector().getHavingExpression() != null
                || !query.getSelector().getOrderByList().isEmpty()) {
            return false;
        }
        for (OutputAttribute attribute : query.getSelector().getSelectionList()) {
            if (aggregates(attribute.getExpression())) {
                return false;
            }
        }
        return true;
    }

    /** Whether an expression contains an aggregate function (which keeps state across events). */
    private static boolean aggregates(Expression e) {
        if (e instanceof AttributeFunction f) {
            boolean core = f.getNamespace() == null || f.getNamespace().isEmpty();
            if (core && AGGREGATORS.contains(f.getName().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        for (Expression child : children(e)) {
            if (aggregates(child)) {
                return true;
            }
        }
        return false;
    }

    private static List<In> ins(Expression e, List<In> found) {
        if (e instanceof In in) {
            found.add(in);
        }
        for (Expression child : children(e)) {
            ins(child, found);
        }
        return found;
    }

    private static List<Expression> children(Expression e) {
        if (e instanceof AttributeFunction f) {
            return f.getParameters() == null ? List.of() : List.of(f.getParameters());
        } else if (e instanceof Add m) {
            return List.of(m.getLeftValue(), m.getRightValue());
        } else if (e instanceof Subtract m) {
            return List.of(m.getLeftValue(), m.getRightValue());
        } else if (e instanceof Multiply m) {
            return List.of(m.getLeftValue(), m.getRightValue());
        } else if (e instanceof Divide m) {
            return List.of(m.getLeftValue(), m.getRightValue());
        } else if (e instanceof Mod m) {
            return List.of(m.getLeftValue(), m.getRightValue());
        } else if (e instanceof And a) {
            return List.of(a.getLeftExpression(), a.getRightExpression());
        } else if (e instanceof Or o) {
            return List.of(o.getLeftExpression(), o.getRightExpression());
        } else if (e instanceof Compare c) {
            return List.of(c.getLeftExpression(), c.getRightExpression());
        } else if (e instanceof Not n) {
            return List.of(n.getExpression());
        } else if (e instanceof IsNull n && n.getExpression() != null) {
            return List.of(n.getExpression());
        } else if (e instanceof In in) {
            return List.of(in.getExpression());
        }
        return List.of();
    }
}
