package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.rules.compile.RuleCompiler;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The server-side rules service: runs every deployed rule app on {@code telemetry.raw} and writes what the apps emit
 * to {@code alerts}. Instances with the same consumer group split the partitions; each partition has its own Siddhi
 * runtime per rule, snapshotted with its offset to {@code rules.state}, so a restart or a rebalance resumes
 * half-matched patterns. A rule whose state is per device runs on the partitions of telemetry.raw (keyed by device);
 * a rule that correlates devices runs on {@code rules.by-tenant}, to which the service forwards the records of the
 * tenants that have such rules, keyed by tenant, so that one runtime sees all of a tenant's devices. Deployments
 * arrive on the compacted {@code rules} topic and take effect between two records, without a restart and without
 * dropping events.
 *
 * <p>Wires its parts and owns their threads and producers: the {@link RuleCatalog} follower, the {@link PollLoop}
 * (with {@link Deployments}, the {@link Checkpointer} and the {@link StatusPublisher}) and the {@link AlertSender}.
 */
public final class RulesService implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    /** Forwards records to rules.by-tenant, in larger batches than the alerts. */
    private final Producer<String, byte[]> forwarder;
    private final AlertSender alerts;
    private final RuleCatalog catalog;
    private final PollLoop pollLoop;
    private Thread pollThread;
    private Thread catalogThread;

    public RulesService(RulesServiceConfig config, RuleCompiler compiler, Clock clock) {
        this.producer = new KafkaProducer<>(producerConfig(config, "rules-", config.alertLingerMs()),
                new StringSerializer(), new ByteArraySerializer());
        this.forwarder = new KafkaProducer<>(producerConfig(config, "rules-forward-", config.forwardLingerMs()),
                new StringSerializer(), new ByteArraySerializer());
        SnapshotStore snapshots = new SnapshotStore(config.bootstrapServers(), config.groupId(), producer);
        this.alerts = new AlertSender(producer, clock);
        this.catalog = new RuleCatalog(config.bootstrapServers());
        this.pollLoop = new PollLoop(config, catalog, new Deployments(compiler, alerts), new RuleTotals(),
                new StatusPublisher(config.instanceId(), producer, clock),
                new Checkpointer(producer, forwarder, snapshots), snapshots, forwarder);
    }

    private static Properties producerConfig(RulesServiceConfig config, String clientPrefix, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        // No compression: alerts and forwarded records are small, and a compressor per small batch cost more CPU
        // than the whole rule evaluation in the benchmark's profile.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // Snapshots of many devices' windows can be large; the rules.state topic allows as much.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RULES_STATE.maxMessageBytes());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.RULES_STATE.maxMessageBytes());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientPrefix + config.instanceId());
        return p;
    }

    /** Starts reading the rule catalog and, once it is loaded, the telemetry. */
    public void start() {
        catalog.start();
        pollThread = new Thread(pollLoop, "rules-poll");
        pollThread.setDaemon(true);
        pollThread.start();
    }

    /** Waits until the catalog is loaded and this instance owns partitions; tests and the launcher use it. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return catalog.awaitLoaded(timeout)
                && pollLoop.awaitAssigned(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Telemetry records read, over the service's life. */
    public long recordsIn() {
        return pollLoop.recordsIn();
    }

    /** Alerts sent to Kafka, over the service's life. */
    public long alertsOut() {
        return alerts.sent();
    }

    /** Records on telemetry.raw that were not stamped telemetry (skipped and counted). */
    public long undecodable() {
        return pollLoop.undecodable();
    }

    /** Alerts beyond their bounds, sent to alerts.dlq instead, over the service's life. */
    public long alertsDeadLettered() {
        return alerts.deadLettered();
    }

    /** Snapshots and commits what was processed, then stops; the next owner resumes from there. */
    @Override
    public void close() {
        pollLoop.stop();
        joinQuietly(pollThread);
        catalog.stop();
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
}
