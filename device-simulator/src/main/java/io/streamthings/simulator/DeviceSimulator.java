package io.streamthings.simulator;

import io.streamthings.simulator.operations.OperationExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated devices for demos and load: enrolls N devices through the API (bulk endpoint; devices of an earlier run
 * with the same prefix are reused with new tokens), connects them concurrently, then publishes realistic telemetry
 * from each ({@link SignalModel}) over MQTT or HTTP at a total rate for a duration, printing a progress line as it
 * goes and a summary at the end. Meanwhile the devices run the operations they receive ({@link OperationExecutor}):
 * pushed over MQTT, or pulled over HTTP every {@code --poll} seconds.
 *
 * <pre>java -cp ... io.streamthings.simulator.DeviceSimulator --devices 100 --rate 1000 --duration 60</pre>
 */
public final class DeviceSimulator {

    /** A run that achieves less than this share of its target rate says the platform is not keeping up. */
    private static final double KEEPING_UP = 0.95;
    /** Threads Eclipse Paho runs per connection (receiver, sender, callback). */
    private static final int PAHO_THREADS_PER_DEVICE = 3;

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

    /** Enrolls, connects, publishes for the configured duration, and returns what happened. */
    public static Summary run(SimulatorConfig config) throws Exception {
        return run(config, null);
    }

    /**
     * As {@link #run(SimulatorConfig)}; {@code ready} is told once the devices are connected (a benchmark starts its
     * clock there), with the executor that runs their operations (null when operations are off).
     */
    public static Summary run(SimulatorConfig config, java.util.function.Consumer<OperationExecutor> ready)
            throws Exception {
        ApiClient api = new ApiClient(config.apiUrl());
        if (config.token() != null && !config.token().isBlank()) {
            api.useToken(config.token());
        } else {
            api.login(config.adminUser(), config.adminPassword());
        }
        api.ensureDeviceType(config.deviceType());
        if (config.group() != null) {
            api.ensureGroup(config.group());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= config.devices(); i++) {
            ids.add(config.idPrefix() + "-" + i);
        }
        long enrollStart = System.nanoTime();
        Map<String, String> tokens = api.enrollOrReuse(ids, config.deviceType(), config.group());
        ids.retainAll(tokens.keySet());
        if (ids.isEmpty()) {
            throw new IllegalStateException("no device could be enrolled or reused");
        }
        System.out.printf("%d devices of type %s ready in %.1f s%n", ids.size(), config.deviceType(),
                (System.nanoTime() - enrollStart) / 1e9);

        long start = System.currentTimeMillis();
        List<SignalModel> models = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            models.add(new SignalModel(config.seed() * 31 + i, config.anomalyProbability(), start));
        }
        DeviceStates states = new DeviceStates(ids.size());
        OperationExecutor executor = config.operations()
                ? new OperationExecutor(config.failShare(), config.seed(), Duration.ofMillis(config.rebootDowntimeMs()))
                : null;
        long connectStart = System.nanoTime();
        HttpOperationPoller poller = null;
        TelemetryPublisher publisher;
        if ("mqtt".equals(config.transport())) {
            publisher = connectMqtt(config, ids, tokens, executor, states);
        } else {
            publisher = new HttpPublisher(config.apiUrl(), ids, tokens, config.tenant(), states);
            if (executor != null) {
                poller = new HttpOperationPoller(config.apiUrl(), ids, tokens, config.tenant(), executor, states);
                poller.start(Duration.ofSeconds(config.pollSeconds()));
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.out.printf("%d of %d devices connected over %s in %.1f s; publishing for %d s at %d records/s%n",
                publisher.connected(), ids.size(), config.transport(), connectSeconds, config.durationSeconds(),
                config.ratePerSecond());
        if (ready != null) {
            ready.accept(executor);
        }
        Progress progress = new Progress(config, publisher, executor);
        Thread reporter = new Thread(progress, "sim-progress");
        reporter.setDaemon(true);
        long sent;
        long publishStart = System.nanoTime();
        try {
            reporter.start();
            sent = pace(config, models, publisher, progress, states);
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (publisher.acknowledged() + publisher.failed() < sent && System.nanoTime() < drainUntil) {
                Thread.sleep(10);
            }
            // Until the last answer, not the last publish: acknowledgements that trail the publishing are no rate.
            double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
            reporter.interrupt();
            long[] all = publisher.latencies().snapshot();
            long anomalies = models.stream().mapToLong(SignalModel::anomalies).sum();
            return new Summary(ids.size(), publisher.connected(), connectSeconds, sent, publisher.acknowledged(),
                    publisher.failed(), progress.windowFull, anomalies, publishSeconds, config.ratePerSecond(),
                    LatencyRecorder.quantileMs(all, null, 0.5), LatencyRecorder.quantileMs(all, null, 0.99),
                    LatencyRecorder.quantileMs(all, null, 1.0), Operations.of(executor));
        } finally {
            reporter.interrupt();
            if (poller != null) {
                poller.close();
            }
            publisher.close();
        }
    }

    private static MqttPublisher connectMqtt(SimulatorConfig config, List<String> ids, Map<String, String> tokens,
            OperationExecutor executor, DeviceStates states) throws Exception {
        warnIfThreadsRunShort(ids.size());
        MqttPublisher publisher = new MqttPublisher(config.mqttUri().toString(), ids, tokens, config.tenant(),
                config.window(), executor, states, config.apiUrl());
        Thread connecting = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(config.progressSeconds()));
                } catch (InterruptedException e) {
                    return;
                }
                System.out.printf("  connecting: %d of %d%n", publisher.connected(), ids.size());
            }
        }, "sim-connect-progress");
        connecting.setDaemon(true);
        connecting.start();
        try {
            publisher.connectAll(config.connectConcurrency(), Duration.ofSeconds(120));
        } finally {
            connecting.interrupt();
        }
        return publisher;
    }

    /** Every Paho connection runs threads of its own, and the kernel bounds threads by {@code kernel.pid_max}. */
    private static void warnIfThreadsRunShort(int devices) {
        try {
            // Files.readString reads procfs files short (they report size 0): read a line instead.
            long pidMax;
            try (var reader = Files.newBufferedReader(Path.of("/proc/sys/kernel/pid_max"))) {
                pidMax = Long.parseLong(reader.readLine().trim());
            }
            long needed = (long) devices * PAHO_THREADS_PER_DEVICE;
            if (needed > pidMax / 2) {
                System.err.printf("device-simulator: %d MQTT devices need about %d threads (Eclipse Paho runs %d per "
                        + "connection) and this machine allows %d processes and threads in all (kernel.pid_max): "
                        + "raise it first, e.g. sysctl -w kernel.pid_max=262144%n", devices, needed,
                        PAHO_THREADS_PER_DEVICE, pidMax);
            }
        } catch (Exception e) {
            // not Linux: nothing to check
        }
    }

    /**
     * Publishes round-robin over the devices at the total rate until the duration is over; a device whose window is
     * full is skipped for that turn (counted), so a platform that falls behind shows as a lower achieved rate.
     *
     * @return records sent
     */
    private static long pace(SimulatorConfig config, List<SignalModel> models, TelemetryPublisher publisher,
            Progress progress, DeviceStates states) throws InterruptedException {
        if (config.ratePerSecond() == 0) {
            // Operations only: the devices stay connected and answer operations for the duration.
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.durationSeconds()));
            return 0;
        }
        int batch = "http".equals(config.transport()) ? config.batchSize() : 1;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) * batch / config.ratePerSecond();
        long begin = System.nanoTime();
        long end = begin + TimeUnit.SECONDS.toNanos(config.durationSeconds());
        long next = begin;
        int device = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return progress.sent;
            }
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, 1_000_000));
                continue;
            }
            if (!states.takeTurn(device, now)) {
                // Rebooting, or its interval (set by an operation) has not passed: the turn goes to the next device.
                device = (device + 1) % models.size();
                next += intervalNanos;
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
            if (publisher.publish(device, payload, batch)) {
                progress.sent += batch;
            } else {
                progress.windowFull += batch;
            }
            device = (device + 1) % models.size();
            next += intervalNanos;
        }
    }

    /** Prints a line every few seconds: what was sent and acknowledged in the last interval, and how fast. */
    private static final class Progress implements Runnable {
        private final SimulatorConfig config;
        private final TelemetryPublisher publisher;
        private final OperationExecutor executor;
        // Written by the pacing thread only; read here for a progress line, where a slightly old value is fine.
        volatile long sent;
        volatile long windowFull;

        Progress(SimulatorConfig config, TelemetryPublisher publisher, OperationExecutor executor) {
            this.config = config;
            this.publisher = publisher;
            this.executor = executor;
        }

        @Override
        public void run() {
            long startNanos = System.nanoTime();
            long lastAcked = 0;
            long lastNanos = startNanos;
            long[] lastLatencies = publisher.latencies().snapshot();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(config.progressSeconds()));
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                long acked = publisher.acknowledged();
                long[] latencies = publisher.latencies().snapshot();
                double rate = (acked - lastAcked) / ((now - lastNanos) / 1e9);
                System.out.println(line((now - startNanos) / 1e9, rate, acked, latencies, lastLatencies));
                lastAcked = acked;
                lastNanos = now;
                lastLatencies = latencies;
            }
        }

        private String line(double elapsed, double rate, long acked, long[] latencies, long[] before) {
            String ops = executor == null ? "" : "  " + Operations.of(executor);
            if (config.ratePerSecond() == 0) {
                return String.format("[%4.0f s] connected %d%s", elapsed, publisher.connected(), ops);
            }
            String verdict = rate >= KEEPING_UP * config.ratePerSecond() ? ""
                    : String.format("  BEHIND: %.0f%% of the target rate", 100 * rate / config.ratePerSecond());
            return String.format("[%4.0f s] connected %d  sent %d  acknowledged %d  failed %d  window-full %d  "
                    + "%,.0f records/s (target %,d)  latency p50 %.1f ms p99 %.1f ms%s", elapsed,
                    publisher.connected(), sent, acked, publisher.failed(), windowFull, rate,
                    config.ratePerSecond(), LatencyRecorder.quantileMs(latencies, before, 0.5),
                    LatencyRecorder.quantileMs(latencies, before, 0.99), verdict) + ops;
        }
    }

    /**
     * What a run did.
     *
     * @param devices devices simulated
     * @param connected devices connected when publishing ended
     * @param connectSeconds time to connect them all (HTTP: 0)
     * @param sent records sent
     * @param acknowledged records acknowledged (PUBACK or 202)
     * @param failed records refused, unanswered or not sent because the device was disconnected
     * @param windowFull records not sent because the device's window of unacknowledged messages was full
     * @param anomalies anomalies injected
     * @param seconds wall time from the first publish to the last answer
     * @param targetRate the records per second asked for
     * @param p50Ms median time from publish to acknowledgement
     * @param p99Ms its 99th percentile
     * @param maxMs its maximum (to 0.1 ms)
     * @param operations what the devices did with operations (all zero when operations are off)
     */
    public record Summary(int devices, int connected, double connectSeconds, long sent, long acknowledged,
            long failed, long windowFull, long anomalies, double seconds, int targetRate, double p50Ms,
            double p99Ms, double maxMs, Operations operations) {

        /** Records per second acknowledged over the publishing phase. */
        public double achievedRate() {
            return acknowledged / Math.max(seconds, 0.001);
        }

        /** Whether the platform kept up with the target rate. */
        public boolean keptUp() {
            return targetRate == 0 || achievedRate() >= KEEPING_UP * targetRate && failed == 0 && windowFull == 0;
        }

        @Override
        public String toString() {
            return String.format("devices=%d connected=%d (in %.1f s) sent=%d acknowledged=%d failed=%d "
                    + "window-full=%d anomalies=%d in %.1f s: %.0f records/s of %d asked (%s); latency p50 %.1f ms "
                    + "p99 %.1f ms max %.1f ms", devices, connected, connectSeconds, sent, acknowledged, failed,
                    windowFull, anomalies, seconds, achievedRate(), targetRate,
                    keptUp() ? "kept up" : "the platform did not keep up", p50Ms, p99Ms, maxMs)
                    + "; " + operations;
        }
    }

    /**
     * Operations the devices received and how they ended.
     *
     * @param received deliveries, duplicates included
     * @param duplicates deliveries not run again (an idempotency key seen before)
     * @param completed ended COMPLETED
     * @param failed ended ERROR (the {@code --fail-share})
     * @param rejected refused (an unknown feature, bad params)
     */
    public record Operations(long received, long duplicates, long completed, long failed, long rejected) {

        static Operations of(OperationExecutor e) {
            return e == null ? new Operations(0, 0, 0, 0, 0)
                    : new Operations(e.received(), e.duplicates(), e.completed(), e.failed(), e.rejected());
        }

        @Override
        public String toString() {
            return String.format("operations received %d (duplicates %d) completed %d error %d rejected %d",
                    received, duplicates, completed, failed, rejected);
        }
    }
}
