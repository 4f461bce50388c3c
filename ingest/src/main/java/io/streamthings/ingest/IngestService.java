package io.streamthings.ingest;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.ingest.auth.DeviceAccessPolicy;
import io.streamthings.ingest.auth.DeviceDirectory;
import io.streamthings.ingest.auth.ServiceAccount;
import io.streamthings.ingest.config.IngestConfig;
import io.streamthings.ingest.config.LimitSettings;
import io.streamthings.ingest.core.DeviceRateLimiter;
import io.streamthings.ingest.core.IngestMetrics;
import io.streamthings.ingest.core.IngestPipeline;
import io.streamthings.ingest.core.LastSeenTracker;
import io.streamthings.ingest.edge.EdgeUplink;
import io.streamthings.ingest.http.DeviceAuthFilter;
import io.streamthings.ingest.http.IngestResource;
import io.streamthings.ingest.config.MqttSettings;
import io.streamthings.ingest.mqtt.MqttIngestSubscriber;
import io.streamthings.ingest.mqtt.MqttMetrics;
import io.streamthings.ingest.mqtt.MqttServer;
import io.streamthings.ingest.sink.InFlightLimiter;
import io.streamthings.ingest.sink.KafkaTelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest, assembled: the device directory, the Kafka sink, the MQTT subscribers, the HTTP resources and the last-seen
 * tracker, wired by constructors and started and stopped together. Host applications use it through
 * {@link IngestBundle}; tests and benchmarks may use it directly.
 */
public final class IngestService implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final DeviceDirectory directory;
    private final DeviceAccessPolicy policy;
    private final IngestMetrics metrics;
    private final KafkaTelemetrySink sink;
    private final Producer<String, byte[]> eventProducer;
    private final LastSeenTracker lastSeen;
    private final IngestPipeline pipeline;
    private final DeviceRateLimiter rateLimiter;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService responder;
    private final List<MqttIngestSubscriber> subscribers = new ArrayList<>();
    private final MqttServer mqttServer;
    private final IngestResource resource;
    private final DeviceAuthFilter authFilter;
    private final EdgeUplink edge;

    /**
     * @param policy the access policy (and its directory) to share with an MQTT broker in the same JVM, so that the
     *     subscriber knows which tenant's device opened a session; null to make one from the configuration
     */
    public IngestService(IngestConfig config, MetricRegistry registry, DeviceAccessPolicy policy) {
        this.config = config;
        this.policy = policy != null ? policy : new DeviceAccessPolicy(
                new DeviceDirectory(config.getKafka().getBootstrapServers()),
                new ServiceAccount(config.getMqtt().getServiceUser(), config.getMqtt().getServicePassword()));
        this.directory = this.policy.directory();
        this.metrics = new IngestMetrics(registry);
        LimitSettings limits = config.getLimits();
        TelemetryCodec codec = new TelemetryCodec(limits.toTelemetryLimits());
        this.sink = KafkaTelemetrySink.create(config.getKafka(), codec,
                new InFlightLimiter(limits.getMaxInFlightRecords(), limits.getMaxInFlightBytes()));
        metrics.inFlight(sink::inFlightRecords, sink::inFlightBytes);
        this.eventProducer = new KafkaProducer<>(KafkaTelemetrySink.producerConfig(config.getKafka(),
                "ingest-device-events"));
        this.lastSeen = new LastSeenTracker((key, value) -> eventProducer.send(
                new ProducerRecord<>(Topics.DEVICE_EVENTS.name(), key, value)), config.getLastSeenIntervalMs());
        this.pipeline = new IngestPipeline(codec, sink, lastSeen, metrics, System::currentTimeMillis);
        this.rateLimiter = config.getRateLimit().isEnabled()
                ? new DeviceRateLimiter(config.getRateLimit().getRecordsPerSecond(),
                        config.getRateLimit().getBurstRecords(), System::nanoTime)
                : null;
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("ingest-scheduler"));
        this.responder = Executors.newFixedThreadPool(2, daemon("ingest-http-responder"));
        this.resource = new IngestResource(pipeline, rateLimiter, metrics, config.getHttp(), responder,
                System::currentTimeMillis);
        this.authFilter = new DeviceAuthFilter(this.directory);
        this.mqttServer = serverMode() ? new MqttServer(config.getMqtt(), directory, pipeline, rateLimiter,
                (key, value) -> eventProducer.send(new ProducerRecord<>(Topics.DEVICE_EVENTS.name(), key, value)),
                new MqttMetrics(registry), System::currentTimeMillis, config.getKafka().getBootstrapServers(),
                (key, value) -> {
                    java.util.concurrent.CompletableFuture<Void> sent = new java.util.concurrent.CompletableFuture<>();
                    eventProducer.send(new ProducerRecord<>(Topics.OPERATION_STATUS.name(), key, value),
                            (meta, error) -> {
                                if (error != null) {
                                    sent.completeExceptionally(error);
                                } else {
                                    sent.complete(null);
                                }
                            });
                    return sent;
                })
                : null;
        this.edge = new EdgeUplink(eventProducer, sink, pipeline);
        if (mqttServer != null) {
            mqttServer.edgeUplink(edge);
        }
    }

    private boolean serverMode() {
        return config.getMqtt().isEnabled() && config.getMqtt().getMode() == MqttSettings.Mode.SERVER;
    }

    /** Starts the directory (waiting for it to catch up), the tracker and the MQTT subscribers. */
    @Override
    public void start() throws Exception {
        directory.start();
        if (!directory.awaitCaughtUp(Duration.ofMillis(config.getDirectoryCatchUpTimeoutMs()))) {
            LOG.warn("The device directory has not caught up with {} within {} ms; devices may be refused until it "
                    + "has", Topics.DEVICE_CREDENTIALS.name(), config.getDirectoryCatchUpTimeoutMs());
        }
        lastSeen.start();
        if (mqttServer != null) {
            edge.start(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getKafka().getBootstrapServers(),
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
            mqttServer.start();
        } else if (config.getMqtt().isEnabled()) {
            for (int i = 0; i < config.getMqtt().getSubscribers(); i++) {
                MqttIngestSubscriber subscriber = new MqttIngestSubscriber(config.getMqtt(), i, policy, pipeline,
                        rateLimiter, scheduler, System::currentTimeMillis);
                subscribers.add(subscriber);
                subscriber.start();
            }
        }
        if (subscribers.isEmpty()) {
            policy.admitDevices();
        } else {
            scheduler.execute(this::admitDevicesOnceSubscribed);
        }
        if (mqttServer != null) {
            LOG.info("Ingest started: MQTT server on port {}, Kafka {}", mqttServer.port(),
                    config.getKafka().getBootstrapServers());
        } else {
            LOG.info("Ingest started: {} MQTT subscriber(s) on {}, Kafka {}", subscribers.size(),
                    config.getMqtt().getUri(), config.getKafka().getBootstrapServers());
        }
    }

    /** Stops taking messages, then flushes what is in flight to Kafka. */
    @Override
    public void stop() {
        if (mqttServer != null) {
            // Before the sink closes: the PUBACKs in flight wait for Kafka.
            mqttServer.close();
        }
        for (MqttIngestSubscriber subscriber : subscribers) {
            subscriber.close();
        }
        subscribers.clear();
        lastSeen.close();
        scheduler.shutdownNow();
        sink.close();
        eventProducer.close(Duration.ofSeconds(5));
        responder.shutdown();
        try {
            responder.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        directory.close();
    }

    private void admitDevicesOnceSubscribed() {
        if (!mqttConnected()) {
            // Check again shortly rather than block a thread the scheduler shares with retries and lastSeen flushes.
            scheduler.schedule(this::admitDevicesOnceSubscribed, 50, TimeUnit.MILLISECONDS);
            return;
        }
        policy.admitDevices();
        LOG.info("MQTT subscribers ready: devices may connect");
    }

    /** The MQTT broker's access rules over the same directory (for an embedded broker). */
    public DeviceAccessPolicy policy() {
        return policy;
    }

    public DeviceDirectory directory() {
        return directory;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /** The JAX-RS components to register: the resource and its device authentication filter. */
    public List<Object> jerseyComponents() {
        return List.of(authFilter, resource);
    }

    /** True when every MQTT subscriber is connected and subscribed. */
    public boolean mqttConnected() {
        for (MqttIngestSubscriber s : subscribers) {
            if (!s.isConnected()) {
                return false;
            }
        }
        return true;
    }

    /** What edge runtimes publish besides telemetry (served by the MQTT server). */
    public EdgeUplink edge() {
        return edge;
    }

    /** The MQTT server in mode {@code server}, else null. */
    public MqttServer mqttServer() {
        return mqttServer;
    }

    /** The MQTT subscribers, for tests and metrics. */
    public List<MqttIngestSubscriber> subscribers() {
        return List.copyOf(subscribers);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
