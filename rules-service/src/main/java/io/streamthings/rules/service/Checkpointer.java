package io.streamthings.rules.service;

import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.service.SnapshotStore.PartitionSnapshot;
import io.streamthings.rules.service.SnapshotStore.RuleState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots partitions' rules with their offsets, waits until Kafka has every alert and forwarded record sent so far,
 * only then sends the snapshots, and commits the offsets once Kafka has them: an alert or a forwarded record is never
 * lost, and at worst re-sent after a crash.
 */
final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final Producer<String, byte[]> alerts;
    private final Producer<String, byte[]> forwarder;
    private final SnapshotStore snapshots;

    /** {@code alerts} also carries the snapshots (the SnapshotStore's producer). */
    Checkpointer(Producer<String, byte[]> alerts, Producer<String, byte[]> forwarder, SnapshotStore snapshots) {
        this.alerts = alerts;
        this.forwarder = forwarder;
        this.snapshots = snapshots;
    }

    /** Checkpoints these partitions (each with at least one record processed since the last checkpoint). */
    void checkpoint(List<PartitionRules> due, Deployments deployments, Consumer<?, ?> consumer) {
        if (due.isEmpty()) {
            return;
        }
        List<PartitionSnapshot> taken = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionRules pr : due) {
            TopicPartition p = pr.partition();
            Map<String, RuleState> states = new LinkedHashMap<>();
            for (Map.Entry<String, RuleInstance> e : pr.rules().entrySet()) {
                DeployedRule d = deployments.get(e.getKey());
                try {
                    states.put(e.getKey(), new RuleState(d.definition().version(), e.getValue().snapshot()));
                } catch (RuntimeException ex) {
                    LOG.warn("Snapshot of rule {} on partition {} failed: {}", e.getKey(), p, ex.toString());
                }
            }
            taken.add(new PartitionSnapshot(p, pr.nextOffset(), states));
            offsets.put(p, new OffsetAndMetadata(pr.nextOffset()));
        }
        // A snapshot is where the next owner resumes. Sent together with the alerts and forwarded records it covers,
        // it could reach Kafka ahead of some of them (another producer, another partition), and a kill -9 at that
        // moment would lose those: the restarted service resumes after the records that emitted them.
        forwarder.flush();
        alerts.flush();
        taken.forEach(snapshots::write);
        alerts.flush();
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            LOG.warn("Committing offsets failed; the snapshots hold them: {}", e.toString());
        }
    }
}
