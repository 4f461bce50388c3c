package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.ingest.support.Devices;
import io.streamthings.ingest.support.IngestHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 1 PUBACK means Kafka has the record: with Kafka stopped, a publish stays unacknowledged; once Kafka is back,
 * the PUBACK comes and the record is in {@code telemetry.raw}.
 */
class MqttAckAfterKafkaIT {

    @TempDir
    Path dir;

    @Test
    void shouldNotAcknowledgeWhileKafkaIsDown() throws Exception {
        try (IngestHarness harness = IngestHarness.start(dir, config -> { })) {
            String token = harness.credentials().enroll("acme", "ack-1", "thermostat");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> harness.directory().authenticate("acme", "ack-1", token).admitted());
            MqttAsyncClient device = new MqttAsyncClient(harness.mqttUri(), "ack-1-client", new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName("ack-1@acme");
            options.setPassword(token.getBytes(StandardCharsets.UTF_8));
            device.connect(options).waitForCompletion(15_000);
            publish(device, Devices.record("before", 1)).waitForCompletion(30_000);

            harness.stopKafka();
            IMqttToken during = publish(device, Devices.record("during", 2));
            // For longer than an acks=all round trip many times over, the PUBACK must not come.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> !during.isComplete());

            harness.startKafka();
            during.waitForCompletion(120_000);
            assertThat(during.getReasonCodes() == null ? 0 : during.getReasonCodes()[0]).isZero();
            assertThat(harness.reader().telemetryOf("ack-1"))
                    .anySatisfy(t -> assertThat(t.record().metrics()).containsKey("during"));
            device.disconnect().waitForCompletion(10_000);
            device.close();
        }
    }

    private static IMqttToken publish(MqttAsyncClient device, String payload) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return device.publish("devices/ack-1/telemetry", m);
    }
}
