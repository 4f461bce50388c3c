package io.streamthings.ingest.support;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT device clients for tests: Paho, user name = {@code deviceId@tenant} (or the bare id), password = token. */
public final class Devices {

    private Devices() {}

    /** A connected device client, clean session; {@code username} is {@code deviceId@tenant} or a bare id. */
    public static MqttClient connect(String uri, String username, String token) throws MqttException {
        String deviceId = username.contains("@") ? username.substring(0, username.lastIndexOf('@')) : username;
        MqttClient client = new MqttClient(uri, deviceId + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName(username);
        options.setPassword(token.toCharArray());
        options.setConnectionTimeout(10);
        // Paho frees an in-flight slot a moment after a synchronous publish returns; with its default window of 10,
        // a fast loop of publishes can find none free ("Too many publishes in progress").
        options.setMaxInflight(1_000);
        client.setTimeToWait(10_000);
        client.connect(options);
        return client;
    }

    /** Publishes with QoS 1 and waits for the broker's PUBACK. */
    public static void publish(MqttClient client, String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message);
    }

    /** A telemetry record as JSON, at the current time. */
    public static String record(String metric, double value) {
        return "{\"ts\":" + System.currentTimeMillis() + ",\"metrics\":{\"" + metric + "\":" + value + "}}";
    }
}
