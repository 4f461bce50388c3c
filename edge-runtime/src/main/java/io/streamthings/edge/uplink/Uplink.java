package io.streamthings.edge.uplink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.common.edge.EdgeBatch;
import io.streamthings.common.edge.EdgeBatchCodec;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.edge.EdgeConfig;
import io.streamthings.edge.EdgeRuntime;
import io.streamthings.edge.queue.OutboundQueue;
import io.streamthings.edge.queue.QueuedRecord;
import io.streamthings.edge.rules.DeployOutcome;
import io.streamthings.edge.rules.EdgeRuleSpec;
import io.streamthings.edge.rules.RuleEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's MQTT connection, as the device (Eclipse Paho, user {@code deviceId@tenant}, password the token):
 *
 * <ul>
 *   <li>sends the queue, oldest first, one message at a time at QoS 1: alerts and telemetry in batches on
 *       {@code devices/{id}/edge/records}, each operation status on {@code devices/{id}/operations/{opId}/status};
 *       a record leaves the queue only once its PUBACK is in. A publish that fails or waits past
 *       {@code publishTimeoutMs} drops the connection; the next one starts again from the oldest record not
 *       acknowledged (the platform drops by sequence whatever it already had);
 *   <li>takes EDGE_RULE operations on {@code devices/{id}/operations} and deploys them on a thread of their own,
 *       queueing their status;
 *   <li>sends a health report every {@code healthIntervalMs} on {@code devices/{id}/edge/status} (QoS 0: a late
 *       report is worth nothing, the next one replaces it).
 * </ul>
 */
public final class Uplink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final EdgeConfig config;
    private final OutboundQueue queue;
    private final RuleEngine engine;
    private final EdgeRuntime runtime;
    private final String prefix;
    private final ExecutorService deployer = Executors.newSingleThreadExecutor(daemon("edge-deploy"));
    private final ScheduledExecutorService health = Executors.newSingleThreadScheduledExecutor(daemon("edge-health"));
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private final long startedAt = System.currentTimeMillis();
    private MqttClient client;
    private volatile boolean running;
    private Thread sender;

    public Uplink(EdgeConfig config, OutboundQueue queue, RuleEngine engine, EdgeRuntime runtime) {
        this.config = config;
        this.queue = queue;
        this.engine = engine;
        this.runtime = runtime;
        this.prefix = "devices/" + config.deviceId() + "/";
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void start() throws MqttException {
        client = new MqttClient(config.server(), "edge-" + config.deviceId(), new MemoryPersistence());
        client.setTimeToWait(config.publishTimeoutMs());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("Connection to {} lost: {}", config.server(), cause.toString());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                byte[] payload = message.getPayload();
                deployer.execute(() -> operation(payload));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        running = true;
        sender = new Thread(this::send, "edge-uplink");
        sender.setDaemon(true);
        sender.start();
        health.scheduleAtFixedRate(this::reportHealth, config.healthIntervalMs(), config.healthIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    private void send() {
        long backoff = 250;
        while (running) {
            try {
                if (!client.isConnected()) {
                    connect();
                    backoff = 250;
                }
                queue.enforceBounds();
                List<QueuedRecord> batch = queue.next(config.maxBatchRecords(), MAX_MESSAGE_BYTES, 500);
                if (batch.isEmpty()) {
                    continue;
                }
                publish(batch);
                queue.acknowledged(batch);
            } catch (MqttException e) {
                if (!running) {
                    return;
                }
                publishFailures.incrementAndGet();
                LOG.warn("Uplink to {}: {} (reason {}); again in {} ms", config.server(), e.getMessage(),
                        e.getReasonCode(), backoff);
                dropConnection();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("Uplink: the queue failed", e);
                sleep(1_000);
            }
        }
    }

    private void connect() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(config.username());
        options.setPassword(config.token().toCharArray());
        options.setCleanSession(true);
        options.setKeepAliveInterval(config.keepAliveSeconds());
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(16);
        client.connect(options);
        client.subscribe(prefix + "operations", 1);
        connects.incrementAndGet();
        LOG.info("Connected to {} as {}", config.server(), config.username());
    }

    private void publish(List<QueuedRecord> batch) throws MqttException, IOException {
        QueuedRecord first = batch.get(0);
        if (first.kind() == QueuedRecord.Kind.STATUS) {
            var status = JSON.readTree(first.payload());
            String operationId = status.path("operationId").asText();
            ObjectNode body = JSON.createObjectNode();
            body.set("status", status.path("status"));
            body.set("response", status.path("response"));
            client.publish(prefix + "operations/" + operationId + "/status", JSON.writeValueAsBytes(body), 1, false);
        } else {
            List<EdgeBatch.Entry> entries = new ArrayList<>(batch.size());
            for (QueuedRecord r : batch) {
                entries.add(new EdgeBatch.Entry(r.seq(), r.kind() == QueuedRecord.Kind.ALERT ? EdgeBatch.Kind.ALERT
                        : EdgeBatch.Kind.TELEMETRY, r.payload()));
            }
            client.publish(prefix + "edge/records", EdgeBatchCodec.encode(new EdgeBatch(queue.epoch(), entries)), 1,
                    false);
        }
        messagesSent.incrementAndGet();
        recordsSent.addAndGet(batch.size());
    }

    private void dropConnection() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000);
            }
        } catch (MqttException e) {
            // already gone
        }
    }

    /** Deploys one operation and queues its status. On the deployer thread. */
    private void operation(byte[] payload) {
        OperationMessage op;
        try {
            op = OperationCodec.decodeOperation(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("An operation that cannot be read (so not answered): {}", e.getMessage());
            return;
        }
        operations.incrementAndGet();
        DeployOutcome outcome;
        EdgeRuleSpec spec = null;
        try {
            spec = EdgeRuleSpec.parse(op.payloadJson());
            outcome = engine.deploy(spec);
        } catch (IllegalArgumentException e) {
            outcome = new DeployOutcome("REJECTED", e.getMessage(), null, null, 0);
        } catch (RuntimeException e) {
            outcome = new DeployOutcome("ERROR", e.toString(), null, null, 0);
        }
        if (!outcome.status().equals("COMPLETED")) {
            LOG.warn("Operation {}: {} {}", op.operationId(), outcome.status(), outcome.message());
        }
        ObjectNode status = JSON.createObjectNode();
        status.put("operationId", op.operationId());
        status.put("status", outcome.status());
        ObjectNode response = status.putObject("response");
        if (spec != null) {
            response.put("ruleId", spec.ruleId());
            response.put("version", spec.version());
        }
        response.put("runningVersion", outcome.runningVersion());
        if (outcome.message() != null) {
            response.put("message", outcome.message());
        }
        if (outcome.line() != null) {
            response.put("line", outcome.line());
        }
        if (outcome.column() != null) {
            response.put("column", outcome.column());
        }
        try {
            runtime.queueStatus(JSON.writeValueAsBytes(status));
        } catch (IOException e) {
            LOG.error("Operation {}: its status could not be queued", op.operationId(), e);
        }
    }

    /** The health report, as sent on {@code devices/{id}/edge/status}. */
    public byte[] healthReport() throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.put("ts", System.currentTimeMillis());
        h.put("uptimeMs", System.currentTimeMillis() - startedAt);
        h.put("connected", client != null && client.isConnected());
        ArrayNode rules = h.putArray("rules");
        for (RuleEngine.RuleHealth r : engine.health()) {
            ObjectNode n = rules.addObject();
            n.put("ruleId", r.ruleId());
            n.put("name", r.name());
            n.put("version", r.version());
            n.put("eventsIn", r.counters().eventsIn());
            n.put("eventsSkipped", r.counters().eventsSkipped());
            n.put("eventsOut", r.counters().eventsOut());
            n.put("errors", r.counters().errors());
            if (r.counters().lastError() != null) {
                n.put("lastError", r.counters().lastError());
            }
        }
        OutboundQueue.Stats q = queue.stats();
        ObjectNode qn = h.putObject("queue");
        qn.put("records", q.records());
        qn.put("bytes", q.bytes());
        qn.put("oldestAgeMs", q.oldestAgeMs());
        qn.put("droppedAlerts", q.droppedAlerts());
        qn.put("droppedTelemetry", q.droppedTelemetry());
        qn.put("droppedBytes", q.droppedBytes());
        qn.put("truncatedBytes", q.truncatedBytes());
        qn.put("lastSeq", q.lastSeq());
        ObjectNode up = h.putObject("upstream");
        runtime.counters().forEach((k, v) -> up.put(k, (Long) v));
        long in = runtime.eventsIn();
        long sent = messagesSent.get();
        up.put("messagesSent", sent);
        up.put("recordsSent", recordsSent.get());
        // raw forwarding sends one message per reading: the saving is what the rules kept local
        up.put("messagesSaved", Math.max(0, in - sent));
        up.put("savedRatio", in == 0 ? 0.0 : Math.max(0.0, 1.0 - (double) sent / in));
        up.put("connects", connects.get());
        up.put("publishFailures", publishFailures.get());
        up.put("operations", operations.get());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        ObjectNode hn = h.putObject("heap");
        hn.put("usedBytes", heap.getUsed());
        hn.put("maxBytes", heap.getMax());
        return JSON.writeValueAsBytes(h);
    }

    private void reportHealth() {
        try {
            if (client.isConnected()) {
                client.publish(prefix + "edge/status", healthReport(), 0, false);
            }
        } catch (MqttException | IOException | RuntimeException e) {
            LOG.debug("Health report not sent: {}", e.toString());
        }
    }

    /** Messages acknowledged by the platform since start. */
    public long messagesSent() {
        return messagesSent.get();
    }

    public boolean connected() {
        return client != null && client.isConnected();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        health.shutdownNow();
        deployer.shutdown();
        try {
            deployer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender != null) {
            sender.interrupt();
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (client != null) {
                if (client.isConnected()) {
                    client.disconnectForcibly(1_000, 1_000);
                }
                client.close(true);
            }
        } catch (MqttException e) {
            // closing
        }
    }
}
