package io.streamthings.rules.service;

import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.execution.ExecutionElement;
import io.siddhi.query.api.execution.partition.Partition;
import io.siddhi.query.api.execution.partition.PartitionType;
import io.siddhi.query.api.execution.partition.ValuePartitionType;
import io.siddhi.query.api.execution.query.Query;
import io.siddhi.query.api.execution.query.input.handler.StreamHandler;
import io.siddhi.query.api.execution.query.input.handler.Window;
import io.siddhi.query.api.execution.query.input.stream.SingleInputStream;
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
import java.util.Locale;
import java.util.Set;

/**
 * Whether a rule app keeps state per device only, so that it can run on each partition of telemetry.raw (keyed by
 * device) on its own; otherwise it correlates devices and must see all of its tenant's records in one runtime.
 * Conservative: device-scoped only when every stateful query is inside {@code partition with (deviceId of
 * TelemetryStream)} and the queries outside partitions are plain filters and projections.
 */
final class RuleScope {

    private static final Set<String> AGGREGATORS = Set.of("avg", "sum", "count", "distinctcount", "max", "min",
            "maxforever", "minforever", "stddev", "and", "or", "unionset");

    private RuleScope() {}

    /** True when the app's state is per device; the app must have compiled. */
    static boolean deviceScoped(String appText) {
        SiddhiApp app = SiddhiCompiler.parse(appText);
        if (!app.getTableDefinitionMap().isEmpty() || !app.getWindowDefinitionMap().isEmpty()
                || !app.getAggregationDefinitionMap().isEmpty()) {
            return false;
        }
        for (ExecutionElement element : app.getExecutionElementList()) {
            if (element instanceof Partition partition) {
                if (!partitionsTelemetryByDevice(partition)) {
                    return false;
                }
            } else if (element instanceof Query query && !stateless(query)) {
                return false;
            }
        }
        return true;
    }

    private static boolean partitionsTelemetryByDevice(Partition partition) {
        PartitionType type = partition.getPartitionTypeMap().get("TelemetryStream");
        return type instanceof ValuePartitionType value
                && value.getExpression() instanceof Variable variable
                && variable.getAttributeName().equals("deviceId")
                && partition.getPartitionTypeMap().size() == 1;
    }

    private static boolean stateless(Query query) {
        if (!(query.getInputStream() instanceof SingleInputStream input) || query.getOutputRate() != null) {
            return false;
        }
        for (StreamHandler handler : input.getStreamHandlers()) {
            if (handler instanceof Window) {
                return false;
            }
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
            for (Expression p : f.getParameters()) {
                if (aggregates(p)) {
                    return true;
                }
            }
            return false;
        }
        if (e instanceof Add m) {
            return aggregates(m.getLeftValue()) || aggregates(m.getRightValue());
        }
        if (e instanceof Subtract m) {
            return aggregates(m.getLeftValue()) || aggregates(m.getRightValue());
        }
        if (e instanceof Multiply m) {
            return aggregates(m.getLeftValue()) || aggregates(m.getRightValue());
        }
        if (e instanceof Divide m) {
            return aggregates(m.getLeftValue()) || aggregates(m.getRightValue());
        }
        if (e instanceof Mod m) {
            return aggregates(m.getLeftValue()) || aggregates(m.getRightValue());
        }
        if (e instanceof And a) {
            return aggregates(a.getLeftExpression()) || aggregates(a.getRightExpression());
        }
        if (e instanceof Or o) {
            return aggregates(o.getLeftExpression()) || aggregates(o.getRightExpression());
        }
        if (e instanceof Compare c) {
            return aggregates(c.getLeftExpression()) || aggregates(c.getRightExpression());
        }
        if (e instanceof Not n) {
            return aggregates(n.getExpression());
        }
        if (e instanceof IsNull n) {
            return n.getExpression() != null && aggregates(n.getExpression());
        }
        return e instanceof In;
    }
}
