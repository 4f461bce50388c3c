package io.streamthings.rules.service;

import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleScope;
import io.streamthings.rules.engine.AlertListener;
import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.engine.TimeMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules deployed on this instance, compiled once per version, and which records go to rules.by-tenant for the
 * ones that correlate devices ({@link CrossDeviceRouting}). Touched by the poll thread only.
 */
final class Deployments {

    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);

    private final RuleCompiler compiler;
    private final AlertListener alerts;
    private final Map<String, DeployedRule> deployed = new LinkedHashMap<>();
    private CrossDeviceRouting routing = CrossDeviceRouting.NONE;

    Deployments(RuleCompiler compiler, AlertListener alerts) {
        this.compiler = compiler;
        this.alerts = alerts;
    }

    /** Whether {@code wanted} is what already runs under {@code key} (same version and app). */
    boolean isCurrent(String key, RuleDefinition wanted) {
        DeployedRule current = deployed.get(key);
        return current != null && current.definition().version() == wanted.version()
                && current.definition().app().equals(wanted.app());
    }

    /** Compiles and records a definition; one that does not compile is recorded with its error and runs nowhere. */
    DeployedRule deploy(String key, RuleDefinition definition) {
        DeployedRule d;
        try {
            CompiledRule compiled = compiler.compile(definition.app());
            d = new DeployedRule(definition, compiled, RuleScope.key(definition.app()), null);
        } catch (RuntimeException e) {
            LOG.warn("Rule {} version {} cannot run: {}", key, definition.version(), e.getMessage());
            d = new DeployedRule(definition, null, RuleScope.DEVICE_ID, e.getMessage());
        }
        deployed.put(key, d);
        refreshRouting();
        return d;
    }

    /** Forgets a rule; answers whether it was deployed. */
    boolean undeploy(String key) {
        boolean was = deployed.remove(key) != null;
        refreshRouting();
        return was;
    }

    DeployedRule get(String key) {
        return deployed.get(key);
    }

    /** The deployed rules by key, in deployment order; read-only. */
    Map<String, DeployedRule> all() {
        return Collections.unmodifiableMap(deployed);
    }

    /** Where the records of the tenants with cross-device rules are forwarded, and under which key. */
    CrossDeviceRouting routing() {
        return routing;
    }

    /** Starts a fresh runtime of a compiled rule, in processing time, sending its alerts on. */
    RuleInstance start(DeployedRule d) {
        return RuleInstance.start(compiler.manager(), d.compiled(), d.definition().tenant(), TimeMode.LIVE, alerts,
                compiler.limits().maxTableRows());
    }

    private void refreshRouting() {
        List<CrossDeviceRouting.Rule> rules = new ArrayList<>();
        for (DeployedRule d : deployed.values()) {
            if (d.compiled() != null && !d.deviceScoped()) {
                rules.add(new CrossDeviceRouting.Rule(d.definition().tenant(), d.compiled(), d.scopeKey()));
            }
        }
        routing = CrossDeviceRouting.of(rules);
    }
}
