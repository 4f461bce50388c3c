package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.service.SnapshotStore.PartitionSnapshot;
import io.streamthings.rules.service.SnapshotStore.RuleState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules service's consumer thread: once the catalog is loaded, consumes telemetry.raw and rules.by-tenant as the
 * service's consumer group, feeds each record to the rules of its partition, forwards the records of tenants with
 * cross-device rules, applies catalog changes between two records, and checkpoints and reports status on their
 * intervals. Every Siddhi runtime is created, fed, snapshotted and closed on this thread.
 */
final class PollLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final RulesServiceConfig config;
    private final RuleCatalog catalog;
    private final Deployments deployments;
    private final RuleTotals totals;
    private final StatusPublisher status;
    private final Checkpointer checkpointer;
    private final SnapshotStore snapshots;
    /** Forwards records to rules.by-tenant, in larger batches than the alerts. */
    private final Producer<String, byte[]> forwarder;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final ForwardedRecordCodec forwarded = new ForwardedRecordCodec();

    private final Map<TopicPartition, PartitionRules> partitions = new LinkedHashMap<>();
    /** Partitions with records processed since their last checkpoint. */
    private final Set<TopicPartition> dirty = new HashSet<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;

    PollLoop(RulesServiceConfig config, RuleCatalog catalog, Deployments deployments, RuleTotals totals,
            StatusPublisher status, Checkpointer checkpointer, SnapshotStore snapshots,
            Producer<String, byte[]> forwarder) {
        this.config = config;
        this.catalog = catalog;
        this.deployments = deployments;
        this.totals = totals;
        this.status = status;
        this.checkpointer = checkpointer;
        this.snapshots = snapshots;
        this.forwarder = forwarder;
    }

    /** Waits until this instance owns partitions (after its first rebalance); false on timeout. */
    boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends the loop after the current poll; it checkpoints and withdraws its status first. */
    void stop() {
        running = false;
    }

    long recordsIn() {
        return recordsIn.get();
    }

    long undecodable() {
        return undecodable.get();
    }

    @Override
    public void run() {
        try {
            while (running && !catalog.awaitLoaded(Duration.ofSeconds(1))) {
                LOG.debug("waiting for the rule catalog");
            }
        } catch (InterruptedException e) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
        long nextSnapshot = System.nanoTime() + config.snapshotInterval().toNanos();
        long nextStatus = System.nanoTime();
        try {
            applyCatalogChanges();
            consumer.subscribe(List.of(Topics.TELEMETRY_RAW.name(), Topics.RULES_BY_TENANT.name()), new Rebalance());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                applyCatalogChanges();
                for (ConsumerRecord<String, byte[]> r : records) {
                    process(r);
                }
                long now = System.nanoTime();
                if (now >= nextSnapshot) {
                    checkpoint(partitions.keySet());
                    nextSnapshot = now + config.snapshotInterval().toNanos();
                }
                if (now >= nextStatus) {
                    status.publish(deployments.all(), totals, partitions.values());
                    nextStatus = now + config.statusInterval().toNanos();
                }
            }
            checkpoint(partitions.keySet());
            status.withdrawAll(deployments.all().keySet());
        } catch (WakeupException e) {
            // close() while polling
        } catch (RuntimeException e) {
            LOG.error("The rules service stopped on an unexpected error", e);
        } finally {
            for (PartitionRules pr : partitions.values()) {
                pr.instances().forEach(RuleInstance::close);
            }
            partitions.clear();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Properties consumerConfig() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startFrom());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "rules-" + config.instanceId());
        if (config.staticMember()) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId());
        }
        return p;
    }

    private void process(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionRules pr = partitions.get(tp);
        if (pr == null) {
            return; // revoked meanwhile
        }
        boolean raw = r.topic().equals(Topics.TELEMETRY_RAW.name());
        if (raw) {
            recordsIn.incrementAndGet();
        }
        StampedTelemetry telemetry;
        try {
            telemetry = raw ? codec.decodeStamped(r.value()) : forwarded.decode(r.value());
        } catch (RuntimeException e) {
            // Ingest validated every record; anything else on the topic is not ours to judge. Count and go on.
            undecodable.incrementAndGet();
            pr.processed(r.offset());
            return;
        }
        pr.offer(telemetry);
        pr.processed(r.offset());
        dirty.add(tp);
        String forwardKey = raw ? deployments.routing().forwardKey(telemetry) : null;
        if (forwardKey != null) {
            // Flushed before the offsets are committed, like the alerts: forwarded at least once.
            forwarder.send(new ProducerRecord<>(Topics.RULES_BY_TENANT.name(), forwardKey,
                    forwarded.encode(telemetry)));
        }
    }

    // ---- deployments, between two records

    private void applyCatalogChanges() {
        RuleCatalog.Change change;
        while ((change = catalog.nextChange()) != null) {
            String key = change.key();
            if (change.definition() == null) {
                if (deployments.get(key) != null) {
                    undeploy(key);
                }
            } else if (!deployments.isCurrent(key, change.definition())) {
                deploy(key, change);
            }
        }
    }

    private void deploy(String key, RuleCatalog.Change change) {
        DeployedRule d = deployments.deploy(key, change.definition());
        for (Map.Entry<TopicPartition, PartitionRules> e : partitions.entrySet()) {
            PartitionRules pr = e.getValue();
            // The new version starts before the old one stops, both between two records: no event goes unseen.
            RuleInstance replacement = d.runsOn(e.getKey()) ? deployments.start(d) : null;
            RuleInstance old = replacement == null ? pr.remove(key) : pr.put(key, replacement);
            if (old != null) {
                totals.retire(key, old);
            }
        }
        LOG.info("Rule {} version {} {}", key, d.definition().version(), d.error() == null ? "deployed" : "failed");
    }

    private void undeploy(String key) {
        deployments.undeploy(key);
        for (PartitionRules pr : partitions.values()) {
            RuleInstance old = pr.remove(key);
            if (old != null) {
                old.close();
            }
        }
        totals.forget(key);
        status.withdraw(key);
        LOG.info("Rule {} undeployed (tenant {})", key, RuleDefinition.tenantOfKey(key));
    }

    // ---- partitions, snapshots and offsets

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            checkpoint(revoked);
            close(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Someone else owns them already: committing would fail; their snapshot is the last one written.
            close(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            if (!added.isEmpty()) {
                Map<TopicPartition, PartitionSnapshot> saved = snapshots.read(added, KAFKA_TIMEOUT);
                for (TopicPartition tp : added) {
                    open(tp, saved.get(tp));
                }
                LOG.info("Rules service {} owns {} input partitions ({} restored from snapshots)",
                        config.instanceId(), partitions.size(), saved.size());
            }
            assigned.countDown();
        }

        private void close(Collection<TopicPartition> ps) {
            for (TopicPartition p : ps) {
                PartitionRules pr = partitions.remove(p);
                dirty.remove(p);
                if (pr != null) {
                    for (Map.Entry<String, RuleInstance> e : pr.rules().entrySet()) {
                        totals.retire(e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    private void open(TopicPartition tp, PartitionSnapshot snapshot) {
        PartitionRules pr = new PartitionRules(tp);
        for (Map.Entry<String, DeployedRule> e : deployments.all().entrySet()) {
            DeployedRule d = e.getValue();
            if (!d.runsOn(tp)) {
                continue;
            }
            RuleInstance instance = deployments.start(d);
            RuleState state = snapshot == null ? null : snapshot.rules().get(e.getKey());
            if (state != null && state.version() == d.definition().version()) {
                try {
                    LOG.debug("Restoring rule {} on partition {} from {} bytes", e.getKey(), tp.partition(),
                            state.state().length);
                    instance.restore(state.state());
                } catch (RuntimeException ex) {
                    LOG.warn("Could not restore rule {} on partition {}; it starts afresh: {}", e.getKey(),
                            tp.partition(), ex.toString());
                }
            }
            pr.put(e.getKey(), instance);
        }
        if (snapshot != null) {
            consumer.seek(tp, snapshot.nextOffset());
            pr.resumeAt(snapshot.nextOffset());
        }
        partitions.put(tp, pr);
    }

    /** Checkpoints those of the given partitions that have processed records since their last checkpoint. */
    private void checkpoint(Collection<TopicPartition> ps) {
        List<PartitionRules> due = new ArrayList<>();
        for (TopicPartition p : new ArrayList<>(ps)) {
            PartitionRules pr = partitions.get(p);
            if (pr != null && pr.nextOffset() >= 0 && dirty.remove(p)) {
                due.add(pr);
            }
        }
        checkpointer.checkpoint(due, deployments, consumer);
    }
}
