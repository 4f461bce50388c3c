package io.streamthings.edge;

import io.streamthings.common.telemetry.TelemetryRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mean of each metric over fixed windows of the wall clock: one record a window instead of every reading, for
 * the platform's charts. Used on the runtime's thread only.
 */
final class Downsampler {

    private final long windowMs;
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private long windowStart = -1;

    Downsampler(long windowMs) {
        this.windowMs = windowMs;
    }

    void add(TelemetryRecord r) {
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
            s[0] += e.getValue();
            s[1]++;
        }
    }

    /** The window's means once it is over (stamped with its start), else null. */
    TelemetryRecord due(long now) {
        if (windowStart < 0) {
            windowStart = now - now % windowMs;
            return null;
        }
        if (now < windowStart + windowMs) {
            return null;
        }
        long start = windowStart;
        windowStart = now - now % windowMs;
        if (sums.isEmpty()) {
            return null;
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
        sums.clear();
        return TelemetryRecord.of(start, means);
    }
}
