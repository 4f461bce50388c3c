package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.ingest.config.IngestConfig;
import io.streamthings.ingest.config.MqttSettings;
import io.streamthings.ingest.mqtt.MqttIngestSubscriber;
import io.streamthings.embedded.testkit.Credentials;
import io.streamthings.embedded.testkit.KafkaExtension;
import io.streamthings.ingest.support.Devices;
import io.streamthings.embedded.testkit.MosquittoProcess;
import io.streamthings.embedded.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest against a real Debian {@code mosquitto} broker process: two subscriber connections share
 * {@code $share/ingest/devices/+/telemetry}, so each message reaches Kafka once, split between them.
 */
class MosquittoIngestIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(Topics.ALL);

    @TempDir
    Path dir;

    @Test
    void shouldCarryTelemetryFromMosquittoThroughASharedSubscriptionIntoKafka() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("mosquitto"));
                Credentials credentials = KAFKA.credentials()) {
            IngestConfig config = new IngestConfig();
            config.getKafka().setBootstrapServers(KAFKA.bootstrapServers()).setLingerMs(1);
            config.getMqtt().setMode(MqttSettings.Mode.SUBSCRIBER).setUri(mosquitto.uri()).setServicePassword("unused-here").setSharedGroup("ingest")
                    .setSubscribers(2);
            IngestService ingest = new IngestService(config, new MetricRegistry(), null);
            String token = credentials.enroll("acme", "mosq-1", "thermostat");
            ingest.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(ingest::mqttConnected);
                await().atMost(Duration.ofSeconds(30)).until(() -> ingest.directory().size() == 1);
                assertThat(MqttIngestSubscriber.subscription(config.getMqtt()))
                        .isEqualTo("$share/ingest/devices/+/telemetry");

                MqttClient device = Devices.connect(mosquitto.uri(), "mosq-1", token);
                for (int i = 0; i < 200; i++) {
                    Devices.publish(device, "devices/mosq-1/telemetry",
                            "{\"ts\":" + System.currentTimeMillis() + ",\"metrics\":{\"seq\":" + i + "}}");
                }
                device.disconnect();
                Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                        String.valueOf(mosquitto.port()), "-u", "mosq-1", "-P", token, "-q", "1",
                        "-t", "devices/mosq-1/telemetry", "-m", "{\"metrics\":{\"seq\":200}}").start();
                assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(pub.exitValue()).isZero();

                TopicReader reader = KAFKA.reader();
                await().atMost(Duration.ofSeconds(30)).until(() -> reader.telemetryOf("mosq-1").size() >= 201);
                Set<Long> seqs = reader.telemetryOf("mosq-1").stream()
                        .map(StampedTelemetry::record).map(r -> r.metrics().get("seq").longValue())
                        .collect(Collectors.toSet());
                assertThat(seqs).hasSize(201);
                assertThat(reader.telemetryOf("mosq-1")).hasSize(201).allSatisfy(t ->
                        assertThat(t.tenant()).isEqualTo("acme"));
                assertThat(ingest.subscribers()).hasSize(2)
                        .allSatisfy(s -> assertThat(s.acknowledged()).as("each shares the load").isPositive());
            } finally {
                ingest.stop();
            }
        }
    }
}
