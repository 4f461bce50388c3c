package io.streamthings.ingest.support;

import com.codahale.metrics.MetricRegistry;
import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.testkit.Credentials;
import io.streamthings.embedded.testkit.TopicReader;
import io.streamthings.ingest.IngestService;
import io.streamthings.ingest.auth.DeviceDirectory;
import io.streamthings.ingest.config.IngestConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Real servers for ingest tests and benchmarks: an embedded Kafka with the platform's topics and the ingest service
 * itself, its MQTT server on a free loopback port, as the standalone platform wires them.
 */
public final class IngestHarness implements AutoCloseable {

    private final Path dir;
    private EmbeddedKafka kafka;
    private final DeviceDirectory directory;
    private final IngestService service;
    private final Credentials credentials;
    private final IngestConfig config;

    private IngestHarness(Path dir, EmbeddedKafka kafka, DeviceDirectory directory,
            IngestService service, Credentials credentials, IngestConfig config) {
        this.dir = dir;
        this.kafka = kafka;
        this.directory = directory;
        this.service = service;
        this.credentials = credentials;
        this.config = config;
    }

    /**
     * Starts Kafka and ingest.
     *
     * @param tweak changes the ingest configuration before start (Kafka address and MQTT port are set already)
     */
    public static IngestHarness start(Path dir, Consumer<IngestConfig> tweak) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        kafka.createTopics(Topics.ALL);
        IngestConfig config = new IngestConfig().setLastSeenIntervalMs(500).setDirectoryCatchUpTimeoutMs(30_000);
        config.getKafka().setBootstrapServers(kafka.bootstrapServers()).setLingerMs(1);
        config.getMqtt().setBindHost("127.0.0.1").setPort(0).setTlsPort(0);
        tweak.accept(config);
        IngestService service = new IngestService(config, new MetricRegistry(), null);
        DeviceDirectory directory = service.directory();
        service.start();
        return new IngestHarness(dir, kafka, directory, service, new Credentials(kafka.bootstrapServers()), config);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort();
    }

    public int mqttPort() {
        return service.mqttServer().port();
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
        kafka.close();
    }
}
