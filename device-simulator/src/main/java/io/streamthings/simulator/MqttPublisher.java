package io.streamthings.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One Eclipse Paho connection per device (user name {@code deviceId[@tenant]}, password its token), QoS 1 to its
 * telemetry topic. Devices connect concurrently, at most {@code connectConcurrency} handshakes at a time, each retried
 * until the deadline (a credential enrolled a moment ago reaches the server through Kafka within moments).
 */
final class MqttPublisher implements TelemetryPublisher {

    /** Sent along with a message, so that its acknowledgement can be counted and timed. */
    private record Sent(int records, long atNanos) {}

    private final MqttAsyncClient[] clients;
    private final String[] topics;
    private final MqttConnectOptions[] options;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private final LatencyRecorder latencies = new LatencyRecorder();
    // Paho's default ping sender is a java.util.Timer, a thread per connection: one scheduler serves them all.
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sim-mqtt-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final IMqttActionListener counter = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            Sent sent = (Sent) token.getUserContext();
            latencies.record(System.nanoTime() - sent.atNanos());
            acknowledged.addAndGet(sent.records());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failed.addAndGet(((Sent) token.getUserContext()).records());
        }
    };

    MqttPublisher(String uri, List<String> ids, Map<String, String> tokens, String tenant, int window)
            throws MqttException {
        clients = new MqttAsyncClient[ids.size()];
        topics = new String[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            clients[i] = new MqttAsyncClient(uri, "sim-" + DeviceNames.login(id, tenant), new MemoryPersistence(),
                    new ScheduledExecutorPingSender(scheduler), null);
            clients[i].setCallback(new Presence());
            topics[i] = "devices/" + id + "/telemetry";
        }
        this.options = new MqttConnectOptions[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(DeviceNames.login(id, tenant));
            o.setPassword(tokens.get(id).toCharArray());
            o.setMaxInflight(window);
            o.setAutomaticReconnect(true);
            o.setConnectionTimeout(30);
            options[i] = o;
        }
    }

    /**
     * Connects every device, {@code concurrency} handshakes at a time, retrying a refused one every half second.
     *
     * @return the devices connected when all were, or when the deadline passed
     */
    int connectAll(int concurrency, Duration deadline) throws InterruptedException {
        Semaphore handshakes = new Semaphore(concurrency);
        long until = System.nanoTime() + deadline.toNanos();
        AtomicInteger pending = new AtomicInteger(clients.length);
        for (int i = 0; i < clients.length; i++) {
            handshakes.acquire();
            connect(i, handshakes, until, pending);
        }
        while (pending.get() > 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return connected.get();
    }

    private void connect(int i, Semaphore handshakes, long until, AtomicInteger pending) {
        try {
            clients[i].connect(options[i], null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    handshakes.release();
                    pending.decrementAndGet();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retry(i, handshakes, until, pending);
                }
            });
        } catch (MqttException e) {
            retry(i, handshakes, until, pending);
        }
    }

    private void retry(int i, Semaphore handshakes, long until, AtomicInteger pending) {
        if (System.nanoTime() > until) {
            handshakes.release();
            pending.decrementAndGet();
            return;
        }
        scheduler.schedule(() -> connect(i, handshakes, until, pending), 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean publish(int device, String payload, int records) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        try {
            clients[device].publish(topics[device], message, new Sent(records, System.nanoTime()), counter);
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                return false; // its window is full: the platform has not acknowledged enough yet
            }
            failed.addAndGet(records); // disconnected: not sent
            return true;
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
    public int connected() {
        return connected.get();
    }

    @Override
    public LatencyRecorder latencies() {
        return latencies;
    }

    @Override
    public void close() {
        for (MqttAsyncClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect(5_000).waitForCompletion(6_000);
                }
                client.close(true);
            } catch (MqttException e) {
                // closing anyway
            }
        }
        scheduler.shutdownNow();
    }

    /** Counts the connections that are up, including Paho's automatic reconnects. */
    private final class Presence implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connected.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected.decrementAndGet();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // publishes only
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // counted by the publish listener
        }
    }
}
