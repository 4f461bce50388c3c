package io.streamthings.simulator;

/** Sends one device's records somewhere; counts what was acknowledged and what failed. */
interface TelemetryPublisher extends AutoCloseable {

    /** Sends records of one device (one JSON record, or a JSON array for HTTP batches). */
    void publish(int device, String payload, int records);

    long acknowledged();

    long failed();

    @Override
    void close();
}
