package io.streamthings.edge.source;

import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.simulator.SignalModel;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated sensors: the device simulator's signal (temperature, humidity, pressure with a daily cycle, noise and
 * injected anomalies), {@code ratePerSecond} readings a second, or as fast as the rules take them when 0.
 */
public final class SimulatedSource implements Source {

    private final double ratePerSecond;
    private final long seed;
    private final double anomalyProbability;
    private volatile boolean running;
    private Thread thread;

    public SimulatedSource(double ratePerSecond, long seed, double anomalyProbability) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.seed = seed;
        this.anomalyProbability = anomalyProbability;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void start(SourceSink sink) {
        running = true;
        thread = new Thread(() -> {
            SignalModel model = new SignalModel(seed, anomalyProbability, System.currentTimeMillis());
            long intervalNanos = ratePerSecond == 0 ? 0 : (long) (1e9 / ratePerSecond);
            long next = System.nanoTime();
            try {
                while (running) {
                    if (intervalNanos > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                            continue;
                        }
                        next += intervalNanos;
                    }
                    long now = System.currentTimeMillis();
                    sink.accept(TelemetryRecord.of(now, model.readings(now)), this, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "source-simulated");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
