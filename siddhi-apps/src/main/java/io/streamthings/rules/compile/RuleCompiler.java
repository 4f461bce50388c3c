package io.streamthings.rules.compile;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.definition.Attribute;
import io.siddhi.query.api.definition.StreamDefinition;
import io.siddhi.query.api.exception.SiddhiAppContextException;
import io.siddhi.query.compiler.SiddhiCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Validates rule apps: compiles them with Siddhi (so undefined streams, unknown attributes and type errors are caught,
 * with their line and column) and enforces the platform's policy (see API.md, "Rule apps"): {@code @App:name}
 * required; only {@code TelemetryStream} fed, with deviceId/deviceType/tag strings, {@code ts} long and metric
 * doubles; an insert into {@code AlertStream}; every stream read fed by the app; no source, sink, store, function,
 * aggregation or {@code @app:playback}; bounded windows and output rates; every pattern or sequence within a bounded
 * time; tables only with a primary key. Thread-safe.
 */
public final class RuleCompiler {

    private final RuleLimits limits;
    private final SiddhiManager manager = new SiddhiManager();

    /** A compiler with {@link RuleLimits#defaults()}. */
    public RuleCompiler() {
        this(RuleLimits.defaults());
    }

    /**
     * A compiler with the given limits.
     *
     * @throws NullPointerException when limits is null
     */
    public RuleCompiler(RuleLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Compiles a rule app and checks it against the policy.
     *
     * @param appText the SiddhiQL text of the app
     * @return the accepted rule, with its input and alert attributes in declared order
     * @throws RuleRejectedException when the app is null or blank, does not compile or breaks the policy; the reason
     *     names the problem and, where Siddhi knows it, the line and column (1-based)
     */
    public CompiledRule compile(String appText) {
        if (appText == null || appText.isBlank()) {
            throw new RuleRejectedException("the app is empty", null, null);
        }
        rejectVariables(appText);
        SiddhiApp app = parse(appText);
        RulePolicy.Accepted accepted = RulePolicy.check(app, limits);
        StreamDefinition alerts = alertStream(app, accepted);
        List<String> alertAttributes = new ArrayList<>();
        for (Attribute attribute : alerts.getAttributeList()) {
            checkAlertAttribute(attribute, accepted);
            alertAttributes.add(attribute.getName());
        }
        return new CompiledRule(accepted.name(), appText, accepted.inputAttributes(), alertAttributes);
    }

    /** The limits this compiler enforces; the engine applies their runtime part (table rows). */
    public RuleLimits limits() {
        return limits;
    }

    /** The one Siddhi manager behind every runtime of rules this compiler compiled. */
    public SiddhiManager manager() {
        return manager;
    }

    /**
     * Siddhi replaces {@code ${NAME}} anywhere in an app (comments and string literals too) with the server's
     * environment variable or system property of that name: a rule could read secrets that way.
     */
    private static void rejectVariables(String appText) {
        int index = appText.indexOf("${");
        if (index < 0) {
            return;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (appText.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        throw new RuleRejectedException("${...} placeholders are not allowed: Siddhi would fill them from the server's "
                + "environment variables and system properties", line, index - lineStart + 1);
    }

    private static SiddhiApp parse(String appText) {
        try {
            return SiddhiCompiler.parse(appText);
        } catch (RuntimeException e) {
            throw fromSiddhi(e);
        }
    }

    /** Builds (and shuts down, never started) a Siddhi runtime: Siddhi's own checks, and the AlertStream it infers. */
    private StreamDefinition alertStream(SiddhiApp app, RulePolicy.Accepted accepted) {
        SiddhiAppRuntime runtime;
        try {
            runtime = manager.createSiddhiAppRuntime(app);
        } catch (RuntimeException e) {
            throw fromSiddhi(e);
        }
        try {
            Map<String, StreamDefinition> streams = runtime.getStreamDefinitionMap();
            StreamDefinition alerts = streams.get(RulePolicy.ALERT_STREAM);
            if (alerts == null) {
                throw RulePolicy.rejected("the app must insert into AlertStream: what it inserts there becomes alerts",
                        accepted.alertPosition());
            }
            return alerts;
        } finally {
            runtime.shutdown();
        }
    }

    private static void checkAlertAttribute(Attribute attribute, RulePolicy.Accepted accepted) {
        Attribute.Type expected = switch (attribute.getName()) {
            case "severity", "message", "deviceId" -> Attribute.Type.STRING;
            case "ts" -> Attribute.Type.LONG;
            default -> null;
        };
        if (expected != null && attribute.getType() != expected) {
            throw RulePolicy.rejected("AlertStream attribute " + attribute.getName() + " is "
                    + attribute.getType().name().toLowerCase(Locale.ROOT) + ": it must be "
                    + expected.name().toLowerCase(Locale.ROOT), accepted.alertPosition());
        }
    }

    /** Siddhi's exception as a refusal, with the position Siddhi recorded. */
    static RuleRejectedException fromSiddhi(RuntimeException e) {
        if (e instanceof SiddhiAppContextException context) {
            String reason = context.getMessageWithOutContext() != null ? context.getMessageWithOutContext()
                    : String.valueOf(e.getMessage());
            // a syntax error starts at column 0 of its line; its end is the offending token
            int[] position = reason.startsWith("Syntax error") && context.getQueryContextEndIndex() != null
                    ? context.getQueryContextEndIndex() : context.getQueryContextStartIndex();
            return RulePolicy.rejected(reason, position);
        }
        return new RuleRejectedException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(),
                null, null);
    }
}
