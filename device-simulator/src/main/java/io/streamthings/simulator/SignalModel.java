package io.streamthings.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The readings of one simulated device: per metric a base level, a slow linear trend, a daily cycle (peaking at a
 * device-specific hour), Gaussian noise, and now and then an injected anomaly (a spike several standard deviations
 * off, or a stuck-at-zero reading) whose count is kept so a run can report what it injected. Deterministic for a seed.
 */
public final class SignalModel {

    private static final double DAY_MS = 86_400_000.0;
    private static final String[] METRICS = {"temperature", "humidity", "pressure"};
    private static final double[] BASE = {21.0, 45.0, 1013.0};
    private static final double[] DAILY_AMPLITUDE = {4.0, 10.0, 3.0};
    private static final double[] NOISE = {0.3, 1.5, 0.5};

    private final SplittableRandom random;
    private final double[] base = new double[METRICS.length];
    private final double[] trendPerHour = new double[METRICS.length];
    private final double phase;
    private final double anomalyProbability;
    private final long start;
    private long anomalies;

    /**
     * @param seed this device's seed
     * @param anomalyProbability chance per reading of an injected anomaly
     * @param startMs the time the trend starts from, epoch ms
     */
    public SignalModel(long seed, double anomalyProbability, long startMs) {
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < METRICS.length; i++) {
            base[i] = BASE[i] + random.nextDouble(-2, 2) * NOISE[i] * 3;
            trendPerHour[i] = random.nextDouble(-0.05, 0.05) * NOISE[i];
        }
        this.phase = random.nextDouble(0, 2 * Math.PI);
        this.anomalyProbability = anomalyProbability;
        this.start = startMs;
    }

    /** The readings at a time, epoch ms; metric name to value, rounded to 2 decimals. */
    public Map<String, Double> readings(long atMs) {
        Map<String, Double> values = new LinkedHashMap<>();
        double hours = (atMs - start) / 3_600_000.0;
        double cycle = Math.sin(2 * Math.PI * (atMs % (long) DAY_MS) / DAY_MS + phase);
        for (int i = 0; i < METRICS.length; i++) {
            double v = base[i] + trendPerHour[i] * hours + DAILY_AMPLITUDE[i] * cycle
                    + gaussian() * NOISE[i];
            if (random.nextDouble() < anomalyProbability) {
                anomalies++;
                v = random.nextBoolean() ? v + (random.nextBoolean() ? 1 : -1) * NOISE[i] * 12 : 0.0;
            }
            values.put(METRICS[i], Math.round(v * 100) / 100.0);
        }
        return values;
    }

    /** Anomalies injected so far. */
    public long anomalies() {
        return anomalies;
    }

    /** One record as JSON in the platform's format. */
    public String recordJson(long atMs) {
        StringBuilder b = new StringBuilder(96).append("{\"ts\":").append(atMs).append(",\"metrics\":{");
        boolean first = true;
        for (Map.Entry<String, Double> e : readings(atMs).entrySet()) {
            b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
            first = false;
        }
        return b.append("}}").toString();
    }

    private double gaussian() {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
