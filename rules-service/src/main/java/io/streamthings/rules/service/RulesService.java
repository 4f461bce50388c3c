package io.streamthings.rules.service;

import io.streamthings.common.alert.AlertBounds;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.alert.InvalidAlertException;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.catalog.RuleStatus;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.engine.EmittedAlert;
import io.streamthings.rules.engine.RuleCounters;
import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.engine.TimeMode;
import io.streamthings.rules.service.SnapshotStore.PartitionSnapshot;
import io.streamthings.rules.service.SnapshotStore.RuleState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.streamthings.common.kafka.TopicSpec;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-side rules service: runs every deployed rule app on {@code telemetry.raw} and writes what the apps emit
 * to {@code alerts}. Instances with the same consumer group split the partitions; each partition has its own Siddhi
 * runtime per rule, snapshotted with its offset to {@code rules.state}, so a restart or a rebalance resumes
 * half-matched patterns. A rule whose state is per device runs on the partitions of telemetry.raw (keyed by device);
 * a rule that correlates devices runs on {@code rules.by-tenant}, to which the service forwards the records of the
 * tenants that have such rules, keyed by tenant, so that one runtime sees all of a tenant's devices. Deployments arrive on the compacted {@code rules} topic and take effect between two
 * records, without a restart and without dropping events.
 */
public final class RulesService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesService.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final TelemetryCodec DEAD_LETTERS = new TelemetryCodec();
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final RulesServiceConfig config;
    private final RuleCompiler compiler;
    private final Clock clock;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final ForwardedRecordCodec forwarded = new ForwardedRecordCodec();
    private final Producer<String, byte[]> producer;
    /** Forwards records to rules.by-tenant, in larger batches than the alerts. */
    private final Producer<String, byte[]> forwarder;
    private final SnapshotStore snapshots;

    /** The catalog as read from the rules topic; written by the catalog thread. */
    private final Map<String, RuleDefinition> catalog = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> changedKeys = new ConcurrentLinkedQueue<>();
    private final CountDownLatch catalogLoaded = new CountDownLatch(1);
    private final CountDownLatch assigned = new CountDownLatch(1);

    // Poll-thread state.
    private final Map<String, Deployed> deployed = new LinkedHashMap<>();
    private final Map<TopicPartition, PartitionRules> partitions = new LinkedHashMap<>();
    private final Set<TopicPartition> dirty = new HashSet<>();
    /** Which records go to rules.by-tenant, for the rules that correlate devices, and under which key. */
    private CrossDeviceRouting routing = CrossDeviceRouting.NONE;
    private KafkaConsumer<String, byte[]> consumer;

    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong alertsOut = new AtomicLong();
    private final AtomicLong alertSendFailures = new AtomicLong();
    private final AtomicLong alertsDeadLettered = new AtomicLong();
    private final Map<String, RuleCounters> retired = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread pollThread;
    private Thread catalogThread;
    private volatile KafkaConsumer<String, byte[]> catalogConsumer;

    /** A rule as deployed on this instance: its definition and the compiled app, or why it could not start. */
    private record Deployed(RuleDefinition definition, CompiledRule compiled, String key, String error) {

        /** Whether the rule's state is per device (see {@link RuleScope}). */
        boolean deviceScoped() {
            return RuleScope.DEVICE_ID.equals(key);
        }

        /** Whether the rule runs on this input topic. */
        boolean runsOn(TopicPartition tp) {
            return compiled != null
                    && deviceScoped() == tp.topic().equals(Topics.TELEMETRY_RAW.name());
        }
    }

    public RulesService(RulesServiceConfig config, RuleCompiler compiler, Clock clock) {
        this.config = config;
        this.compiler = compiler;
        this.clock = clock;
        this.producer = new KafkaProducer<>(producerConfig(config, "rules-", config.alertLingerMs),
                new StringSerializer(), new ByteArraySerializer());
        this.forwarder = new KafkaProducer<>(producerConfig(config, "rules-forward-", config.forwardLingerMs),
                new StringSerializer(), new ByteArraySerializer());
        this.snapshots = new SnapshotStore(config.bootstrapServers, config.groupId, producer);
    }

    private static Properties producerConfig(RulesServiceConfig config, String clientPrefix, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        // No compression: alerts and forwarded records are small, and a compressor per small batch cost more CPU
        // than the whole rule evaluation in the benchmark's profile.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // Snapshots of many devices' windows can be large; the rules.state topic allows as much.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RULES_STATE.maxMessageBytes());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.RULES_STATE.maxMessageBytes());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientPrefix + config.instanceId);
        return p;
    }

    /** Starts reading the rule catalog and, once it is loaded, the telemetry. */
    public void start() {
        running = true;
        catalogThread = new Thread(this::readCatalog, "rules-catalog");
        catalogThread.setDaemon(true);
        catalogThread.start();
        pollThread = new Thread(this::pollLoop, "rules-poll");
        pollThread.setDaemon(true);
        pollThread.start();
    }

    /** Waits until the catalog is loaded and this instance owns partitions; tests and the launcher use it. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return catalogLoaded.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
                && assigned.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Telemetry records read, over the service's life. */
    public long recordsIn() {
        return recordsIn.get();
    }

    /** Alerts sent to Kafka, over the service's life. */
    public long alertsOut() {
        return alertsOut.get();
    }

    /** Records on telemetry.raw that were not stamped telemetry (skipped and counted). */
    public long undecodable() {
        return undecodable.get();
    }

    // ---- the rule catalog

    private void readCatalog() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        while (running) {
            try (KafkaConsumer<String, byte[]> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                catalogConsumer = c;
                List<TopicPartition> tps = c.partitionsFor(Topics.RULES.name(), KAFKA_TIMEOUT).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (tps.isEmpty()) {
                    ensureTopics();
                    continue;
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                Map<TopicPartition, Long> end = c.endOffsets(tps, KAFKA_TIMEOUT);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        applyCatalogRecord(r);
                    }
                    if (catalogLoaded.getCount() > 0 && end.entrySet().stream()
                            .allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        LOG.info("Rule catalog loaded: {} rules", catalog.size());
                        catalogLoaded.countDown();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading the rule catalog failed, retrying: {}", e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void applyCatalogRecord(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            catalog.remove(r.key());
        } else {
            try {
                catalog.put(r.key(), CatalogCodec.decodeDefinition(r.value()));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping an unreadable rule record {}: {}", r.key(), e.getMessage());
                return;
            }
        }
        changedKeys.add(r.key());
    }

    /** Creates the topics the service reads and writes, where a deployment has not (a no-op once they exist). */
    private void ensureTopics() {
        List<TopicSpec> specs = List.of(Topics.TELEMETRY_RAW, Topics.ALERTS, Topics.RULES, Topics.RULE_STATUS,
                Topics.RULES_STATE, Topics.RULES_BY_TENANT);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers))) {
            List<NewTopic> topics = specs.stream().map(t -> new NewTopic(t.name(), Optional.of(t.partitions()),
                    Optional.empty()).configs(t.configs())).toList();
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warn("Could not create a topic: {}", e.getCause().toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not confirm the rules topics in time; retrying");
        }
    }

    // ---- the poll loop

    private void pollLoop() {
        try {
            while (running && !catalogLoaded.await(1, TimeUnit.SECONDS)) {
                LOG.debug("waiting for the rule catalog");
            }
        } catch (InterruptedException e) {
            return;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startFrom);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "rules-" + config.instanceId);
        if (config.groupInstanceId != null && !config.groupInstanceId.isBlank()) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId);
        }
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        long nextSnapshot = System.nanoTime() + config.snapshotInterval.toNanos();
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
                    nextSnapshot = now + config.snapshotInterval.toNanos();
                }
                if (now >= nextStatus) {
                    publishStatus();
                    nextStatus = now + config.statusInterval.toNanos();
                }
            }
            checkpoint(partitions.keySet());
            withdrawStatus();
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
        String forwardKey = raw ? routing.forwardKey(telemetry) : null;
        if (forwardKey != null) {
            // Flushed before the offsets are committed, like the alerts: forwarded at least once.
            forwarder.send(new ProducerRecord<>(Topics.RULES_BY_TENANT.name(), forwardKey,
                    forwarded.encode(telemetry)));
        }
    }

    /**
     * Sends an alert within its bounds (see {@link AlertBounds}); one beyond them goes to {@code alerts.dlq} with
     * the reason, and the exception thrown back counts it as an error of the rule that emitted it.
     */
    private void onAlert(EmittedAlert a) {
        AlertEvent alert = new AlertEvent(a.tenant(), "rule", a.rule(), a.deviceId(), a.severity(), a.message(),
                a.ts(), clock.millis(), a.values());
        AlertEvent bounded;
        try {
            bounded = AlertBounds.bound(alert);
        } catch (InvalidAlertException e) {
            DeadLetter letter = AlertBounds.deadLetter(e.getMessage(), e.field(), AlertCodec.encode(alert),
                    clock.millis(), "rules", a.tenant(), a.deviceId());
            producer.send(new ProducerRecord<>(Topics.ALERTS_DLQ.name(), a.tenant(),
                    DEAD_LETTERS.encodeDeadLetter(letter)));
            alertsDeadLettered.incrementAndGet();
            throw new IllegalArgumentException("alert refused, sent to " + Topics.ALERTS_DLQ.name() + ": "
                    + e.getMessage(), e);
        }
        producer.send(new ProducerRecord<>(Topics.ALERTS.name(), bounded.kafkaKey(), AlertCodec.encode(bounded)),
                (metadata, error) -> {
                    if (error != null) {
                        alertSendFailures.incrementAndGet();
                        LOG.warn("An alert of rule {} could not be sent: {}", a.rule(), error.toString());
                    }
                });
        alertsOut.incrementAndGet();
    }

    /** Alerts beyond their bounds, sent to alerts.dlq instead, over the service's life. */
    public long alertsDeadLettered() {
        return alertsDeadLettered.get();
    }

    // ---- deployments

    private void applyCatalogChanges() {
        String key;
        while ((key = changedKeys.poll()) != null) {
            RuleDefinition wanted = catalog.get(key);
            Deployed current = deployed.get(key);
            if (wanted == null) {
                if (current != null) {
                    undeploy(key);
                }
            } else if (current == null || current.definition().version() != wanted.version()
                    || !current.definition().app().equals(wanted.app())) {
                deploy(key, wanted);
            }
        }
    }

    private void deploy(String key, RuleDefinition definition) {
        Deployed d;
        try {
            CompiledRule compiled = compiler.compile(definition.app());
            d = new Deployed(definition, compiled, RuleScope.key(definition.app()), null);
        } catch (RuntimeException e) {
            LOG.warn("Rule {} version {} cannot run: {}", key, definition.version(), e.getMessage());
            d = new Deployed(definition, null, RuleScope.DEVICE_ID, e.getMessage());
        }
        deployed.put(key, d);
        refreshCrossDeviceTenants();
        for (Map.Entry<TopicPartition, PartitionRules> e : partitions.entrySet()) {
            PartitionRules pr = e.getValue();
            // The new version starts before the old one stops, both between two records: no event goes unseen.
            RuleInstance replacement = d.runsOn(e.getKey()) ? startInstance(key, d) : null;
            RuleInstance old = replacement == null ? pr.remove(key) : pr.put(key, replacement);
            if (old != null) {
                retire(key, old);
            }
        }
        LOG.info("Rule {} version {} {}", key, definition.version(), d.error() == null ? "deployed" : "failed");
    }

    private void undeploy(String key) {
        deployed.remove(key);
        refreshCrossDeviceTenants();
        for (PartitionRules pr : partitions.values()) {
            RuleInstance old = pr.remove(key);
            if (old != null) {
                old.close();
            }
        }
        retired.remove(key);
        int slash = key.indexOf('/');
        producer.send(new ProducerRecord<>(Topics.RULE_STATUS.name(), key + "/" + config.instanceId, null));
        LOG.info("Rule {} undeployed (tenant {})", key, key.substring(0, slash));
    }

    private void refreshCrossDeviceTenants() {
        List<CrossDeviceRouting.Rule> rules = new ArrayList<>();
        for (Deployed d : deployed.values()) {
            if (d.compiled() != null && !d.deviceScoped()) {
                rules.add(new CrossDeviceRouting.Rule(d.definition().tenant(), d.compiled(), d.key()));
            }
        }
        routing = CrossDeviceRouting.of(rules);
    }

    private RuleInstance startInstance(String key, Deployed d) {
        return RuleInstance.start(compiler.manager(), d.compiled(), d.definition().tenant(), TimeMode.LIVE,
                this::onAlert, compiler.limits().maxTableRows());
    }

    /** Keeps the counters of a replaced instance so that the rule's totals do not go backwards. */
    private void retire(String key, RuleInstance old) {
        RuleCounters c = old.counters();
        retired.merge(key, c, RulesService::sum);
        old.close();
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
                        config.instanceId, partitions.size(), saved.size());
            }
            assigned.countDown();
        }

        private void close(Collection<TopicPartition> ps) {
            for (TopicPartition p : ps) {
                PartitionRules pr = partitions.remove(p);
                dirty.remove(p);
                if (pr != null) {
                    for (Map.Entry<String, RuleInstance> e : pr.rules().entrySet()) {
                        retire(e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    private void open(TopicPartition tp, PartitionSnapshot snapshot) {
        PartitionRules pr = new PartitionRules(tp);
        for (Map.Entry<String, Deployed> e : deployed.entrySet()) {
            Deployed d = e.getValue();
            if (!d.runsOn(tp)) {
                continue;
            }
            RuleInstance instance = startInstance(e.getKey(), d);
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

    /**
     * Snapshots the given partitions' rules with their offsets, waits until Kafka has every alert and forwarded
     * record sent so far, only then sends the snapshots, and commits the offsets once Kafka has them: an alert or a
     * forwarded record is never lost, and at worst re-sent after a crash.
     */
    private void checkpoint(Collection<TopicPartition> ps) {
        List<PartitionSnapshot> taken = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition p : new ArrayList<>(ps)) {
            PartitionRules pr = partitions.get(p);
            if (pr == null || pr.nextOffset() < 0 || !dirty.remove(p)) {
                continue;
            }
            Map<String, RuleState> states = new LinkedHashMap<>();
            for (Map.Entry<String, RuleInstance> e : pr.rules().entrySet()) {
                Deployed d = deployed.get(e.getKey());
                try {
                    states.put(e.getKey(), new RuleState(d.definition().version(), e.getValue().snapshot()));
                } catch (RuntimeException ex) {
                    LOG.warn("Snapshot of rule {} on partition {} failed: {}", e.getKey(), p, ex.toString());
                }
            }
            taken.add(new PartitionSnapshot(p, pr.nextOffset(), states));
            offsets.put(p, new OffsetAndMetadata(pr.nextOffset()));
        }
        if (offsets.isEmpty()) {
            return;
        }
        // A snapshot is where the next owner resumes. Sent together with the alerts and forwarded records it covers,
        // it could reach Kafka ahead of some of them (another producer, another partition), and a kill -9 at that
        // moment would lose those: the restarted service resumes after the records that emitted them.
        forwarder.flush();
        producer.flush();
        taken.forEach(snapshots::write);
        producer.flush();
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            LOG.warn("Committing offsets failed; the snapshots hold them: {}", e.toString());
        }
    }

    // ---- status

    private void publishStatus() {
        long now = clock.millis();
        for (Map.Entry<String, Deployed> e : deployed.entrySet()) {
            RuleDefinition def = e.getValue().definition();
            RuleCounters total = retired.getOrDefault(e.getKey(), new RuleCounters(0, 0, 0, 0, null, null));
            for (PartitionRules pr : partitions.values()) {
                RuleInstance instance = pr.get(e.getKey());
                if (instance != null) {
                    total = sum(total, instance.counters());
                }
            }
            String error = e.getValue().error() != null ? e.getValue().error() : total.lastError();
            RuleStatus status = new RuleStatus(def.tenant(), def.name(), def.version(), config.instanceId,
                    e.getValue().error() == null ? RuleStatus.RUNNING : RuleStatus.FAILED, error, total.eventsIn(),
                    total.eventsSkipped(), total.eventsOut(), total.errors(), total.lastFiredAt(), now);
            producer.send(new ProducerRecord<>(Topics.RULE_STATUS.name(), status.key(), CatalogCodec.encode(status)));
        }
    }

    /** A stopping instance takes its reports back, so that the rules' totals count running instances only. */
    private void withdrawStatus() {
        for (String key : deployed.keySet()) {
            producer.send(new ProducerRecord<>(Topics.RULE_STATUS.name(), key + "/" + config.instanceId, null));
        }
        producer.flush();
    }

    private static RuleCounters sum(RuleCounters a, RuleCounters b) {
        Long lastFired = a.lastFiredAt();
        if (lastFired == null || (b.lastFiredAt() != null && b.lastFiredAt() > lastFired)) {
            lastFired = b.lastFiredAt();
        }
        return new RuleCounters(a.eventsIn() + b.eventsIn(), a.eventsSkipped() + b.eventsSkipped(),
                a.eventsOut() + b.eventsOut(), a.errors() + b.errors(), lastFired,
                b.lastError() != null ? b.lastError() : a.lastError());
    }

    // ---- stop

    /** Snapshots and commits what was processed, then stops; the next owner resumes from there. */
    @Override
    public void close() {
        running = false;
        joinQuietly(pollThread);
        KafkaConsumer<String, byte[]> c = catalogConsumer;
        if (c != null) {
            c.wakeup();
        }
        joinQuietly(catalogThread);
        forwarder.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
