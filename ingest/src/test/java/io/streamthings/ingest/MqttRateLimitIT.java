package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.ingest.support.IngestHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device over its rate is slowed, not refused: the server stops reading its socket for a while, and every message
 * it sent still reaches Kafka, none dead-lettered for the rate.
 */
class MqttRateLimitIT {

    @TempDir
    Path dir;

    @Test
    void shouldSlowADeviceOverItsRateWithoutDroppingAnything() throws Exception {
        try (IngestHarness harness = IngestHarness.start(dir, config -> config.getRateLimit().setEnabled(true)
                .setRecordsPerSecond(5).setBurstRecords(5))) {
            String token = harness.credentials().enroll("acme", "fast-1", "thermostat");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> harness.directory().authenticate("acme", "fast-1", token).admitted());
            MqttAsyncClient device = new MqttAsyncClient(harness.mqttUri(), "fast-1-client", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("fast-1@acme");
            options.setPassword(token.toCharArray());
            options.setMaxInflight(100);
            device.connect(options).waitForCompletion(15_000);
            List<IMqttDeliveryToken> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                MqttMessage m = new MqttMessage(("{\"metrics\":{\"seq\":" + i + "}}").getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                sent.add(device.publish("devices/fast-1/telemetry", m));
            }
            for (IMqttDeliveryToken t : sent) {
                t.waitForCompletion(60_000);
            }
            assertThat(harness.reader().telemetryOf("fast-1")).hasSize(20);
            assertThat(harness.reader().deadLetters()).noneMatch(l -> "fast-1".equals(l.deviceId()));
            assertThat(harness.service().mqttServer().metrics().throttledCount()).as("reads were paused").isPositive();
            device.disconnect().waitForCompletion(10_000);
            device.close();
        }
    }
}
