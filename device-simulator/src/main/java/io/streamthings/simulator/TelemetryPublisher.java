package io.streamthings.simulator;

/** Sends one device's records somewhere; counts what was acknowledged and what failed, and times each answer. */
interface TelemetryPublisher extends AutoCloseable {

    /**
     * Sends records of one device (one JSON record, or a JSON array for HTTP batches).
     *
     * @return false when the device's window of unacknowledged messages is full and nothing was sent: the platform
     *     is not keeping up with this device
     */
    boolean publish(int device, String payload, int records);

    long acknowledged();

    long failed();

    /** Devices connected now (HTTP: every device). */
    int connected();

    LatencyRecorder latencies();

    @Override
    void close();
}
