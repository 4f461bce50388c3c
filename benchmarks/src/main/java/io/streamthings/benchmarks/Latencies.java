package io.streamthings.benchmarks;

import java.util.Arrays;

/** Latencies of one run, in nanoseconds, and the figures drawn from them. */
final class Latencies {

    private final long[] sorted;
    private final long wallNanos;
    private final int errors;
    private final long cpuNanos;

    Latencies(long[] samples, long wallNanos, int errors, long cpuNanos) {
        this.sorted = samples.clone();
        Arrays.sort(this.sorted);
        this.wallNanos = wallNanos;
        this.errors = errors;
        this.cpuNanos = cpuNanos;
    }

    /**
     * CPU time this JVM (service, Kafka broker and load generator together) spent per successful request, in ms: a
     * figure that, unlike requests/s, does not depend on what else runs on the machine. PostgreSQL is not included.
     */
    double jvmCpuMsPerRequest() {
        return sorted.length == 0 ? Double.NaN : cpuNanos / 1e6 / sorted.length;
    }

    int count() {
        return sorted.length;
    }

    int errors() {
        return errors;
    }

    double requestsPerSecond() {
        return sorted.length / (wallNanos / 1e9);
    }

    /** The q-th quantile in milliseconds (nearest rank). */
    double percentileMs(double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }
}
