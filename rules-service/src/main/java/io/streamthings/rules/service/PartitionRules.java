package io.streamthings.rules.service;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.rules.engine.RuleInstance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The running rules of one input partition (of telemetry.raw or rules.by-tenant): one Siddhi runtime per rule, so that the state of a partition
 * can be snapshotted and moved to another instance on its own. Records reach only the rules of their tenant.
 * Touched by the service's poll thread only.
 */
final class PartitionRules {

    private final TopicPartition partition;
    private final Map<String, RuleInstance> byKey = new LinkedHashMap<>();
    private final Map<String, List<RuleInstance>> byTenant = new HashMap<>();
    private long nextOffset = -1;

    PartitionRules(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** The offset after the last record processed, or -1 before the first. */
    long nextOffset() {
        return nextOffset;
    }

    void processed(long offset) {
        nextOffset = offset + 1;
    }

    void resumeAt(long offset) {
        nextOffset = offset;
    }

    /** Feeds one record to every rule of its tenant. */
    void offer(StampedTelemetry telemetry) {
        List<RuleInstance> rules = byTenant.get(telemetry.tenant());
        if (rules == null) {
            return;
        }
        for (int i = 0, n = rules.size(); i < n; i++) {
            rules.get(i).offer(telemetry);
        }
    }

    /** Puts a rule in place, answering the instance it replaces (the caller closes it) or null. */
    RuleInstance put(String key, RuleInstance instance) {
        RuleInstance old = byKey.put(key, instance);
        reindex();
        return old;
    }

    /** Takes a rule out, answering it (the caller closes it) or null. */
    RuleInstance remove(String key) {
        RuleInstance old = byKey.remove(key);
        reindex();
        return old;
    }

    RuleInstance get(String key) {
        return byKey.get(key);
    }

    Map<String, RuleInstance> rules() {
        return byKey;
    }

    Collection<RuleInstance> instances() {
        return byKey.values();
    }

    private void reindex() {
        byTenant.clear();
        for (RuleInstance r : byKey.values()) {
            byTenant.computeIfAbsent(r.tenant(), t -> new ArrayList<>()).add(r);
        }
    }
}
