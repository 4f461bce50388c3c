package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleScope;
import org.apache.kafka.common.TopicPartition;

/**
 * A rule as deployed on this instance: its definition and the compiled app with the attribute its state is keyed by
 * ({@link RuleScope#key}), or, when it could not compile, why (and it runs nowhere).
 */
record DeployedRule(RuleDefinition definition, CompiledRule compiled, String scopeKey, String error) {

    /** Whether the rule's state is per device (see {@link RuleScope}). */
    boolean deviceScoped() {
        return RuleScope.DEVICE_ID.equals(scopeKey);
    }

    /** Whether the rule runs on this input topic: telemetry.raw if per device, rules.by-tenant otherwise. */
    boolean runsOn(TopicPartition tp) {
        return compiled != null && deviceScoped() == tp.topic().equals(Topics.TELEMETRY_RAW.name());
    }
}
