package io.streamthings.rules.service;

import io.streamthings.rules.engine.RuleCounters;
import io.streamthings.rules.engine.RuleInstance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rule's counters over this instance's life: those of its running runtimes plus those of the runtimes it replaced
 * or gave away (a new version, a revoked partition), so that the rule's totals do not go backwards.
 */
final class RuleTotals {

    static final RuleCounters ZERO = new RuleCounters(0, 0, 0, 0, null, null);

    private final Map<String, RuleCounters> retired = new ConcurrentHashMap<>();

    /** Keeps the counters of a runtime that stops, then closes it. */
    void retire(String key, RuleInstance old) {
        retired.merge(key, old.counters(), RuleTotals::sum);
        old.close();
    }

    /** Forgets an undeployed rule's past. */
    void forget(String key) {
        retired.remove(key);
    }

    /** The rule's totals: what it retired plus what its running runtimes have counted. */
    RuleCounters total(String key, Iterable<PartitionRules> partitions) {
        RuleCounters total = retired.getOrDefault(key, ZERO);
        for (PartitionRules pr : partitions) {
            RuleInstance instance = pr.get(key);
            if (instance != null) {
                total = sum(total, instance.counters());
            }
        }
        return total;
    }

    /** Adds counts; the later firing wins, and b's last error over a's (b is the newer). */
    static RuleCounters sum(RuleCounters a, RuleCounters b) {
        Long lastFired = a.lastFiredAt();
        if (lastFired == null || (b.lastFiredAt() != null && b.lastFiredAt() > lastFired)) {
            lastFired = b.lastFiredAt();
        }
        return new RuleCounters(a.eventsIn() + b.eventsIn(), a.eventsSkipped() + b.eventsSkipped(),
                a.eventsOut() + b.eventsOut(), a.errors() + b.errors(), lastFired,
                b.lastError() != null ? b.lastError() : a.lastError());
    }
}
