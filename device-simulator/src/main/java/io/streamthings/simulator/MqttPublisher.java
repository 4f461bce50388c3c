package io.streamthings.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.simulator.operations.OperationExecutor;
import io.streamthings.simulator.operations.OperationRequest;
import io.streamthings.simulator.operations.SimulatedDevice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
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
 *
 * <p>With an {@link OperationExecutor}, each device also subscribes to {@code devices/{id}/operations} (again after
 * every reconnect) and runs what arrives there, reporting each status QoS 1 on
 * {@code devices/{id}/operations/{opId}/status}.
 */
final class MqttPublisher implements TelemetryPublisher {

    /** Sent along with a message, so that its acknowledgement can be counted and timed. */
    private record Sent(int records, long atNanos) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttAsyncClient[] clients;
    private final String[] ids;
    private final String[] topics;
    private final String tenant;
    private final OperationExecutor executor;
    private final DeviceStates states;
    private final Device[] devices;
    private final ComplianceClient compliance;
    private final String[] authorizations;
    // Operations run here, off Paho's callback thread: its PUBACK waits for messageArrived to return.
    private final ExecutorService operationThreads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "sim-operations");
        t.setDaemon(true);
        return t;
    });
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

    /**
     * @param executor runs the operations the devices receive; null for devices that only publish
     * @param states where reboots and publish intervals are noted for the publishing loop
     */
    MqttPublisher(String uri, List<String> ids, Map<String, String> tokens, String tenant, int window,
            OperationExecutor executor, DeviceStates states, java.net.URI api) throws MqttException {
        this.executor = executor;
        this.compliance = new ComplianceClient(api);
        this.authorizations = ids.stream().map(id -> "Bearer " + DeviceNames.login(id, tenant) + ":" + tokens.get(id))
                .toArray(String[]::new);
        this.states = states;
        this.tenant = tenant == null ? "default" : tenant;
        this.ids = ids.toArray(String[]::new);
        clients = new MqttAsyncClient[ids.size()];
        topics = new String[ids.size()];
        devices = new Device[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            clients[i] = new MqttAsyncClient(uri, "sim-" + DeviceNames.login(id, tenant), new MemoryPersistence(),
                    new ScheduledExecutorPingSender(scheduler), null);
            clients[i].setCallback(new Presence(i));
            topics[i] = "devices/" + id + "/telemetry";
            devices[i] = new Device(i);
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
        if (states.isOffline(device)) {
            return false; // rebooting
        }
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
        operationThreads.shutdownNow();
        scheduler.shutdownNow();
    }

    /**
     * Counts the connections that are up, including Paho's automatic reconnects, and (re)subscribes to the device's
     * operations on each: a clean session forgets subscriptions.
     */
    private final class Presence implements MqttCallbackExtended {
        private final int device;

        Presence(int device) {
            this.device = device;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connected.incrementAndGet();
            if (executor != null) {
                try {
                    clients[device].subscribe("devices/" + ids[device] + "/operations", 1);
                } catch (MqttException e) {
                    System.err.printf("device %s could not subscribe to its operations: %s%n", ids[device], e);
                }
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected.decrementAndGet();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (executor == null) {
                return;
            }
            OperationRequest op;
            try {
                op = OperationRequest.fromMqtt(message.getPayload());
            } catch (IllegalArgumentException e) {
                System.err.printf("device %s got an operation it cannot read (%s): %s%n", ids[device],
                        e.getMessage(), new String(message.getPayload(), StandardCharsets.UTF_8));
                return;
            }
            operationThreads.execute(() -> executor.execute(devices[device], op).whenComplete((v, e) -> {
                if (e != null) {
                    System.err.printf("device %s, operation %s: a status report failed: %s%n", ids[device],
                            op.operationId(), e);
                }
            }));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // counted by the publish listener
        }
    }

    /** One device as operations see it: its connection, its publish interval, its status reports. */
    private final class Device implements SimulatedDevice {
        private final int index;

        Device(int index) {
            this.index = index;
        }

        @Override
        public String id() {
            return ids[index];
        }

        @Override
        public CompletableFuture<Void> reboot(Duration downtime) {
            CompletableFuture<Void> back = new CompletableFuture<>();
            // Off the calling thread: this may be Paho's callback thread (the IN_PROGRESS report's PUBACK completes
            // the future the executor continues from), and Paho deadlocks on a disconnect from its own callback.
            operationThreads.execute(() -> disconnectFor(downtime, back));
            return back;
        }

        private void disconnectFor(Duration downtime, CompletableFuture<Void> back) {
            states.offline(index, true);
            try {
                // An explicit disconnect: Paho neither calls connectionLost nor reconnects by itself.
                clients[index].disconnect(0, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        connected.decrementAndGet();
                        scheduler.schedule(() -> reconnect(back, System.nanoTime() + TimeUnit.MINUTES.toNanos(2)),
                                downtime.toMillis(), TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        states.offline(index, false);
                        back.completeExceptionally(e);
                    }
                });
            } catch (MqttException e) {
                states.offline(index, false);
                back.completeExceptionally(e);
            }
        }

        private void reconnect(CompletableFuture<Void> back, long until) {
            IMqttActionListener retry = new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    states.offline(index, false);
                    back.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    if (System.nanoTime() > until) {
                        back.completeExceptionally(e);
                    } else {
                        scheduler.schedule(() -> reconnect(back, until), 500, TimeUnit.MILLISECONDS);
                    }
                }
            };
            try {
                clients[index].connect(options[index], null, retry);
            } catch (MqttException e) {
                retry.onFailure(null, e);
            }
        }

        @Override
        public void setInterval(Duration interval) {
            states.setInterval(index, interval);
        }

        @Override
        public CompletableFuture<Void> reportCompliance(JsonNode report) {
            return compliance.report(authorizations[index], report);
        }

        @Override
        public CompletableFuture<Void> report(String operationId, String status, JsonNode response) {
            ObjectNode body = JSON.createObjectNode().put("tenant", tenant).put("deviceId", id())
                    .put("operationId", operationId).put("status", status).put("ts", System.currentTimeMillis());
            if (response != null) {
                body.set("response", response);
            }
            CompletableFuture<Void> taken = new CompletableFuture<>();
            MqttMessage message = new MqttMessage(body.toString().getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            send("devices/" + id() + "/operations/" + operationId + "/status", message, taken, 0);
            return taken;
        }

        /** Publishes a report; while telemetry fills the device's window, tries again shortly (for up to a minute). */
        private void send(String topic, MqttMessage message, CompletableFuture<Void> taken, int attempt) {
            try {
                clients[index].publish(topic, message, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        taken.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        taken.completeExceptionally(e);
                    }
                });
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT && attempt < 1_200) {
                    scheduler.schedule(() -> send(topic, message, taken, attempt + 1), 50, TimeUnit.MILLISECONDS);
                } else {
                    taken.completeExceptionally(e);
                }
            }
        }
    }
}
