package io.streamthings.ingest.mqtt;

import io.streamthings.common.telemetry.BatchDecodeResult.Rejection;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import io.streamthings.ingest.auth.DeviceAccessPolicy;
import io.streamthings.ingest.auth.TopicAcl;
import io.streamthings.ingest.config.MqttSettings;
import io.streamthings.ingest.core.Batch;
import io.streamthings.ingest.core.DeviceRateLimiter;
import io.streamthings.ingest.core.IngestPipeline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection of the ingest service, subscribed with QoS 1 to the devices' telemetry topic (through a shared
 * subscription when a group is configured).
 *
 * <p>At least once, nothing lost: acknowledgements are manual, and a message is acknowledged to the broker only after
 * Kafka acknowledged what it became (records in {@code telemetry.raw}, or a dead letter). A crash in between leaves
 * the message unacknowledged, and the broker delivers it again to the persistent session ({@code cleanSession=false}).
 * A failed Kafka send is retried until it succeeds; the message is never acknowledged on a failure. While the records
 * in flight are at their bound, the callback thread waits, which stops reading from the broker: backpressure reaches
 * the broker instead of memory.
 *
 * <p>After a reconnect, messages of the previous connection are not acknowledged (their packet ids may be reused); the
 * broker redelivers them, so they may reach Kafka twice but never zero times.
 */
public final class MqttIngestSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestSubscriber.class);
    private static final Duration WAIT_SLICE = Duration.ofMillis(500);
    private static final long RETRY_MS = 1_000;

    private final MqttSettings settings;
    private final String clientId;
    private final DeviceAccessPolicy policy;
    private final IngestPipeline pipeline;
    private final DeviceRateLimiter rateLimiter;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clockMs;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile boolean running;
    private volatile boolean connected;
    private MqttAsyncClient client;

    /**
     * @param index this connection's number among the instance's subscribers, for its client id
     * @param rateLimiter null when rate limits are off
     * @param scheduler runs connection attempts and retries
     */
    public MqttIngestSubscriber(MqttSettings settings, int index, DeviceAccessPolicy policy, IngestPipeline pipeline,
            DeviceRateLimiter rateLimiter, ScheduledExecutorService scheduler, LongSupplier clockMs) {
        this.settings = settings;
        this.clientId = settings.getSubscribers() > 1 ? settings.getClientId() + "-" + index : settings.getClientId();
        this.policy = policy;
        this.pipeline = pipeline;
        this.rateLimiter = rateLimiter;
        this.scheduler = scheduler;
        this.clockMs = clockMs;
    }

    /** The filter subscribed to: the telemetry topic, behind {@code $share/<group>/} when a group is set. */
    public static String subscription(MqttSettings settings) {
        return settings.getSharedGroup().isEmpty()
                ? settings.getTelemetryTopic()
                : "$share/" + settings.getSharedGroup() + "/" + settings.getTelemetryTopic();
    }

    /** Connects in the background, retrying until the broker answers; Paho reconnects by itself after that. */
    public void start() throws MqttException {
        running = true;
        client = new MqttAsyncClient(settings.getUri(), clientId, new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback());
        scheduler.execute(this::connect);
    }

    /** True while connected and subscribed. */
    public boolean isConnected() {
        return connected;
    }

    /** Messages received so far. */
    public long received() {
        return received.get();
    }

    /** Messages acknowledged to the broker so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public void close() {
        running = false;
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT close: {}", e.toString());
        }
    }

    private void connect() {
        if (!running) {
            return;
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(5_000);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setMaxInflight(1_000);
        options.setUserName(settings.getServiceUser());
        options.setPassword(settings.getServicePassword().toCharArray());
        if (settings.getUri().startsWith("tcp://")) {
            options.setSocketFactory(BufferedSocketFactory.INSTANCE);
        }
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            if (running) {
                LOG.warn("MQTT subscriber {} cannot connect to {} yet ({}); retrying", clientId, settings.getUri(),
                        e.getMessage());
                scheduler.schedule(this::connect, 2, TimeUnit.SECONDS);
            }
        }
    }

    private void subscribe() {
        String filter = subscription(settings);
        try {
            IMqttToken token = client.subscribe(filter, 1);
            token.waitForCompletion(15_000);
            int[] granted = token.getGrantedQos();
            if (granted.length == 0 || granted[0] > 2) {
                LOG.error("The broker refused subscription {} to {}: is {} allowed to subscribe?", filter, clientId,
                        settings.getServiceUser());
                return;
            }
            connected = true;
            LOG.info("MQTT subscriber {} subscribed to {} on {}", clientId, filter, settings.getUri());
        } catch (MqttException e) {
            LOG.warn("MQTT subscriber {} could not subscribe to {}: {}", clientId, filter, e.toString());
        }
    }

    /** Handles one message: resolve the sender, decode, send; acknowledge once Kafka has it all. */
    private void handle(String topic, MqttMessage message) {
        received.incrementAndGet();
        long receivedAt = clockMs.getAsLong();
        int gen = generation.get();
        byte[] payload = message.getPayload();
        String deviceId = TopicAcl.deviceIdOf(topic);
        DeviceAccessPolicy.Resolution sender = deviceId == null ? null : policy.resolvePublisher(deviceId);
        Batch batch;
        if (sender == null || !sender.known()) {
            String reason = sender == null ? "not a device topic: " + topic : sender.reason();
            DeadLetter letter = new DeadLetter(reason, "$", receivedAt, "mqtt", null, deviceId, payload);
            deliverUntilDone(() -> pipeline.deadLetter(letter, WAIT_SLICE), message, gen);
            return;
        }
        DeviceIdentity device = sender.identity();
        batch = pipeline.decodeJson(device, "mqtt", payload, receivedAt);
        if (rateLimiter != null && !batch.accepted().isEmpty()) {
            long wait = rateLimiter.tryAcquire(device.tenant() + "/" + device.deviceId(), batch.accepted().size());
            if (wait > 0) {
                batch = batch.refusedAs(new Rejection(-1, Kind.INVALID, "$",
                        "$: rate limit exceeded for device " + device.deviceId() + "; slow down", null));
            }
        }
        Batch toSend = batch;
        deliverUntilDone(() -> pipeline.deliver(toSend, WAIT_SLICE), message, gen);
    }

    /**
     * Runs the send; on success acknowledges the message, on a busy sink waits (on this thread: backpressure) and
     * tries again, on a Kafka failure tries again later. Never acknowledges what Kafka did not take.
     */
    private void deliverUntilDone(java.util.function.Supplier<CompletableFuture<Void>> send, MqttMessage message,
            int gen) {
        while (running) {
            CompletableFuture<Void> future = send.get();
            if (future.isCompletedExceptionally() && isBusy(future)) {
                continue; // the sink waited WAIT_SLICE for room already: wait again, holding the broker back
            }
            future.whenComplete((ok, error) -> {
                if (error == null) {
                    ack(message, gen);
                } else if (running) {
                    LOG.warn("Kafka did not take an MQTT message ({}); sending it again in {} ms", error.toString(),
                            RETRY_MS);
                    scheduler.schedule(() -> deliverUntilDone(send, message, gen), RETRY_MS, TimeUnit.MILLISECONDS);
                }
            });
            return;
        }
    }

    private static boolean isBusy(CompletableFuture<Void> future) {
        try {
            future.join();
            return false;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() instanceof io.streamthings.ingest.sink.SinkBusyException;
        }
    }

    private void ack(MqttMessage message, int gen) {
        if (gen != generation.get() || !running) {
            return; // a message of an earlier connection: the broker redelivers it
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
            acknowledged.incrementAndGet();
        } catch (MqttException e) {
            LOG.debug("Could not acknowledge message {}: {}", message.getId(), e.toString());
        }
    }

    private final class Callback implements MqttCallbackExtended {

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            generation.incrementAndGet();
            // Subscribe on every connection: a broker that lost its state (Moquette restarted) forgot it.
            scheduler.execute(MqttIngestSubscriber.this::subscribe);
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            generation.incrementAndGet();
            if (running) {
                LOG.warn("MQTT subscriber {} lost its connection ({}); reconnecting", clientId, String.valueOf(cause));
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                handle(topic, message);
            } catch (RuntimeException e) {
                // Never let an exception reach Paho, which would drop the connection; the message stays unacked.
                LOG.error("Could not handle an MQTT message on {}", topic, e);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // this client publishes nothing
        }
    }
}
