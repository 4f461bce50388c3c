package io.streamthings.ingest.support;

import com.codahale.metrics.MetricRegistry;
import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.MqttBroker;
import io.streamthings.embedded.Ports;
import io.streamthings.ingest.IngestService;
import io.streamthings.ingest.auth.DeviceDirectory;
import io.streamthings.ingest.config.IngestConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Real servers for ingest tests and benchmarks: an embedded Kafka with the platform's topics, the embedded Moquette
 * broker whose access rules are ingest's policy over the device directory, and the ingest service itself, as the
 * standalone platform wires them.
 */
public final class IngestHarness implements AutoCloseable {

    private final Path dir;
    private EmbeddedKafka kafka;
    private final MqttBroker broker;
    private final DeviceDirectory directory;
    private final IngestService service;
    private final Credentials credentials;
    private final IngestConfig config;

    private IngestHarness(Path dir, EmbeddedKafka kafka, MqttBroker broker, DeviceDirectory directory,
            IngestService service, Credentials credentials, IngestConfig config) {
        this.dir = dir;
        this.kafka = kafka;
        this.broker = broker;
        this.directory = directory;
        this.service = service;
        this.credentials = credentials;
        this.config = config;
    }

    /**
     * Starts Kafka, the broker and ingest.
     *
     * @param tweak changes the ingest configuration before start (Kafka and MQTT addresses are set already)
     */
    public static IngestHarness start(Path dir, Consumer<IngestConfig> tweak) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        kafka.createTopics(Topics.ALL);
        int mqttPort = Ports.free();
        IngestConfig config = new IngestConfig().setLastSeenIntervalMs(500).setDirectoryCatchUpTimeoutMs(30_000);
        config.getKafka().setBootstrapServers(kafka.bootstrapServers()).setLingerMs(1);
        config.getMqtt().setServicePassword(UUID.randomUUID().toString()).setUri("tcp://127.0.0.1:" + mqttPort);
        tweak.accept(config);
        IngestService service = new IngestService(config, new MetricRegistry(), null);
        DeviceDirectory directory = service.directory();
        // One policy for the broker and the subscriber: the subscriber learns a device's tenant from its session.
        MqttBroker broker = MqttBroker.start("127.0.0.1", mqttPort, dir.resolve("mqtt"),
                new PolicyMqttAccess(service.policy()), List.of());
        service.start();
        return new IngestHarness(dir, kafka, broker, directory, service, new Credentials(kafka.bootstrapServers()),
                config);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String mqttUri() {
        return broker.uri();
    }

    public int mqttPort() {
        return broker.port();
    }

    public IngestService service() {
        return service;
    }

    public DeviceDirectory directory() {
        return directory;
    }

    public Credentials credentials() {
        return credentials;
    }

    public TopicReader reader() {
        return new TopicReader(kafka.bootstrapServers());
    }

    public IngestConfig config() {
        return config;
    }

    /** Stops Kafka, as in an outage. */
    public void stopKafka() {
        kafka.close();
    }

    /** Starts Kafka again on the same log directory and port. */
    public void startKafka() throws IOException {
        String bootstrap = config.getKafka().getBootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), port);
    }

    @Override
    public void close() {
        service.stop();
        credentials.close();
        broker.close();
        kafka.close();
    }
}
