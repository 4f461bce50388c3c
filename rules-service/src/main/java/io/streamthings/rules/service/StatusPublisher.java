package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.catalog.RuleStatus;
import io.streamthings.rules.engine.RuleCounters;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Reports this instance's counters of each deployed rule to the compacted {@code rule.status} topic, keyed
 * {@code tenant/name/instance}; the registry sums them over the instances. A report is withdrawn (a tombstone) when
 * the rule is undeployed or the instance stops, so that the totals count running instances only.
 */
final class StatusPublisher {

    private final String instanceId;
    private final Producer<String, byte[]> producer;
    private final Clock clock;

    StatusPublisher(String instanceId, Producer<String, byte[]> producer, Clock clock) {
        this.instanceId = instanceId;
        this.producer = producer;
        this.clock = clock;
    }

    /** Sends the status of every deployed rule. */
    void publish(Map<String, DeployedRule> deployed, RuleTotals totals, Collection<PartitionRules> partitions) {
        long now = clock.millis();
        for (Map.Entry<String, DeployedRule> e : deployed.entrySet()) {
            RuleStatus status = status(e.getValue(), totals.total(e.getKey(), partitions), instanceId, now);
            producer.send(new ProducerRecord<>(Topics.RULE_STATUS.name(), status.key(), CatalogCodec.encode(status)));
        }
    }

    /** Withdraws the report of one rule. */
    void withdraw(String ruleKey) {
        producer.send(new ProducerRecord<>(Topics.RULE_STATUS.name(), ruleKey + "/" + instanceId, null));
    }

    /** Withdraws the reports of these rules and waits until Kafka has the tombstones: the instance is stopping. */
    void withdrawAll(Collection<String> ruleKeys) {
        ruleKeys.forEach(this::withdraw);
        producer.flush();
    }

    /**
     * One rule's status: failed with the compiler's error when it could not be deployed, running otherwise, with the
     * last runtime error if any.
     */
    static RuleStatus status(DeployedRule d, RuleCounters total, String instanceId, long now) {
        RuleDefinition def = d.definition();
        String error = d.error() != null ? d.error() : total.lastError();
        return new RuleStatus(def.tenant(), def.name(), def.version(), instanceId,
                d.error() == null ? RuleStatus.RUNNING : RuleStatus.FAILED, error, total.eventsIn(),
                total.eventsSkipped(), total.eventsOut(), total.errors(), total.lastFiredAt(), now);
    }
}
