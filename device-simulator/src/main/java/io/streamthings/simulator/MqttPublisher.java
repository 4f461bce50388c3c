package io.streamthings.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** One Paho connection per device (user name = device id, password = token), QoS 1 to its telemetry topic. */
final class MqttPublisher implements TelemetryPublisher {

    private final MqttAsyncClient[] clients;
    private final String[] topics;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final IMqttActionListener counter = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            acknowledged.addAndGet((Integer) token.getUserContext());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failed.addAndGet((Integer) token.getUserContext());
        }
    };

    MqttPublisher(String uri, List<String> ids, Map<String, String> tokens) throws MqttException {
        clients = new MqttAsyncClient[ids.size()];
        topics = new String[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            MqttAsyncClient client = new MqttAsyncClient(uri, "sim-" + id, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(id);
            options.setPassword(tokens.get(id).toCharArray());
            options.setMaxInflight(100);
            options.setAutomaticReconnect(true);
            client.connect(options).waitForCompletion(15_000);
            clients[i] = client;
            topics[i] = "devices/" + id + "/telemetry";
        }
    }

    @Override
    public void publish(int device, String payload, int records) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        try {
            clients[device].publish(topics[device], message, records, counter);
        } catch (MqttException e) {
            failed.addAndGet(records); // too many in flight or disconnected: the broker is not keeping up
        }
    }

    @Override
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        for (MqttAsyncClient client : clients) {
            try {
                client.disconnect(5_000).waitForCompletion(6_000);
                client.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
    }
}
