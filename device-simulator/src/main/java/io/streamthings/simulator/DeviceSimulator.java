package io.streamthings.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated devices for demos and load: enrolls N devices through the API (bulk endpoint), then publishes realistic
 * telemetry from each ({@link SignalModel}) over MQTT or HTTP at a total rate for a duration, and prints what it sent.
 *
 * <pre>java -cp ... io.streamthings.simulator.DeviceSimulator --devices 100 --rate 1000 --duration 60</pre>
 */
public final class DeviceSimulator {

    private DeviceSimulator() {}

    public static void main(String[] args) throws Exception {
        SimulatorConfig config;
        try {
            config = SimulatorConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("device-simulator: " + e.getMessage());
            System.err.println(SimulatorConfig.USAGE);
            System.exit(2);
            return;
        }
        Summary summary = run(config);
        System.out.println(summary);
    }

    /** Enrolls, publishes for the configured duration, and returns what happened. */
    public static Summary run(SimulatorConfig config) throws Exception {
        ApiClient api = new ApiClient(config.apiUrl());
        if (config.token() != null && !config.token().isBlank()) {
            api.useToken(config.token());
        } else {
            api.login(config.adminUser(), config.adminPassword());
        }
        api.ensureDeviceType(config.deviceType());
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= config.devices(); i++) {
            ids.add(config.idPrefix() + "-" + i);
        }
        Map<String, String> tokens = api.enroll(ids, config.deviceType());
        ids.retainAll(tokens.keySet());
        if (ids.isEmpty()) {
            throw new IllegalStateException("no device could be enrolled (do they exist already? use another --prefix)");
        }
        System.out.printf("enrolled %d devices of type %s; publishing over %s for %d s at %d records/s%n",
                ids.size(), config.deviceType(), config.transport(), config.durationSeconds(), config.ratePerSecond());

        long start = System.currentTimeMillis();
        List<SignalModel> models = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            models.add(new SignalModel(config.seed() * 31 + i, config.anomalyProbability(), start));
        }
        TelemetryPublisher publisher = "mqtt".equals(config.transport())
                ? connectMqtt(config, ids, tokens)
                : new HttpPublisher(config.apiUrl(), ids, tokens);
        long sent = 0;
        try {
            sent = pace(config, models, publisher);
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (publisher.acknowledged() + publisher.failed() < sent && System.nanoTime() < drainUntil) {
                Thread.sleep(100);
            }
        } finally {
            publisher.close();
        }
        long anomalies = models.stream().mapToLong(SignalModel::anomalies).sum();
        double seconds = (System.currentTimeMillis() - start) / 1000.0;
        return new Summary(ids.size(), sent, publisher.acknowledged(), publisher.failed(), anomalies, seconds);
    }

    private static TelemetryPublisher connectMqtt(SimulatorConfig config, List<String> ids,
            Map<String, String> tokens) throws Exception {
        // A new credential reaches the broker through Kafka within moments: retry the first connections briefly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return new MqttPublisher(config.mqttUri().toString(), ids, tokens);
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Publishes round-robin over the devices at the total rate until the duration is over; returns records sent. */
    private static long pace(SimulatorConfig config, List<SignalModel> models, TelemetryPublisher publisher) {
        int batch = "http".equals(config.transport()) ? config.batchSize() : 1;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) * batch / config.ratePerSecond();
        long begin = System.nanoTime();
        long end = begin + TimeUnit.SECONDS.toNanos(config.durationSeconds());
        long next = begin;
        long sent = 0;
        int device = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return sent;
            }
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, 1_000_000));
                continue;
            }
            SignalModel model = models.get(device);
            long ts = System.currentTimeMillis();
            String payload;
            if (batch == 1) {
                payload = model.recordJson(ts);
            } else {
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < batch; i++) {
                    b.append(i == 0 ? "" : ",").append(model.recordJson(ts - (batch - 1 - i)));
                }
                payload = b.append(']').toString();
            }
            publisher.publish(device, payload, batch);
            sent += batch;
            device = (device + 1) % models.size();
            next += intervalNanos;
        }
    }

    /**
     * What a run did.
     *
     * @param devices devices simulated
     * @param sent records sent
     * @param acknowledged records acknowledged (PUBACK or 202)
     * @param failed records refused or unanswered
     * @param anomalies anomalies injected
     * @param seconds wall time of the publishing phase
     */
    public record Summary(int devices, long sent, long acknowledged, long failed, long anomalies, double seconds) {
        @Override
        public String toString() {
            return String.format("devices=%d sent=%d acknowledged=%d failed=%d anomalies=%d in %.1f s (%.0f records/s)",
                    devices, sent, acknowledged, failed, anomalies, seconds, acknowledged / Math.max(seconds, 0.001));
        }
    }
}
