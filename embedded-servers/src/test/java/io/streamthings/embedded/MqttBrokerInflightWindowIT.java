package io.streamthings.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's in-flight window: how many QoS 1 messages it sends a subscriber that has not acknowledged
 * them yet. Moquette's own is 10; {@link MqttAccess#inflightWindow} widens it for the subscribers that need it.
 */
class MqttBrokerInflightWindowIT {

    @TempDir
    Path dir;

    /** Everyone may connect and use every topic; only "wide" gets a window of 100. */
    private static final MqttAccess ACCESS = new MqttAccess() {
        @Override
        public boolean authenticate(String clientId, String username, byte[] password) {
            return true;
        }

        @Override
        public boolean canPublish(String username, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(String username, String topicFilter) {
            return true;
        }

        @Override
        public int inflightWindow(String username) {
            return "wide".equals(username) ? 100 : MqttAccess.super.inflightWindow(username);
        }
    };

    @Test
    void shouldSendAWideWindowSubscriberMoreThanTenUnacknowledgedMessages() throws Exception {
        assertThat(unacknowledgedDelivered("wide", 50)).isEqualTo(50);
    }

    @Test
    void shouldKeepMoquettesWindowOfTenForOtherSubscribers() throws Exception {
        assertThat(unacknowledgedDelivered("device-1", 50)).isEqualTo(MqttBroker.DEFAULT_INFLIGHT_WINDOW);
    }

    /** Publishes {@code count} QoS 1 messages to a subscriber that never acknowledges; returns how many reached it. */
    private int unacknowledgedDelivered(String subscriberUser, int count) throws Exception {
        try (MqttBroker broker = MqttBroker.start("127.0.0.1", 0, dir.resolve("mqtt"), ACCESS, List.of())) {
            AtomicInteger received = new AtomicInteger();
            MqttClient subscriber = new MqttClient(broker.uri(), "sub-" + subscriberUser, new MemoryPersistence());
            subscriber.setManualAcks(true); // and never acknowledge
            subscriber.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.incrementAndGet();
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            subscriber.connect(options(subscriberUser));
            subscriber.subscribe("devices/+/telemetry", 1);
            // The window is widened when the broker tells its interceptors of the subscription, on another thread.
            Thread.sleep(500);

            MqttClient publisher = new MqttClient(broker.uri(), "pub", new MemoryPersistence());
            publisher.connect(options("device-2"));
            for (int i = 0; i < count; i++) {
                MqttMessage m = new MqttMessage(("{\"metrics\":{\"seq\":" + i + "}}").getBytes());
                m.setQos(1);
                publisher.publish("devices/device-2/telemetry", m);
            }
            int expected = Math.min(count, "wide".equals(subscriberUser) ? 100 : MqttBroker.DEFAULT_INFLIGHT_WINDOW);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() >= expected);
            // Nothing more arrives while nothing is acknowledged.
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                    .until(() -> received.get() == expected);
            publisher.disconnect();
            subscriber.disconnectForcibly(1_000, 1_000);
            return received.get();
        }
    }

    private static MqttConnectOptions options(String user) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword("x".toCharArray());
        o.setCleanSession(true);
        return o;
    }
}
