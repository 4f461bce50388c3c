package io.streamthings.ingest.sink;

import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted telemetry and rejected input go. Each call returns at once with a future that completes when the
 * transport has durably acknowledged everything it was given, so that a caller acknowledges its own client only then.
 *
 * <p>The sink bounds what may wait for an acknowledgement; a call that cannot get room within {@code maxWait} fails
 * with {@link SinkBusyException} and sends nothing.
 */
public interface TelemetrySink extends AutoCloseable {

    /**
     * Sends stamped records, keyed {@code tenant/deviceId}.
     *
     * @param maxWait how long to wait for room among the records in flight; zero to fail at once when there is none
     * @return completes when every record is acknowledged; fails on the first record that could not be sent
     */
    CompletableFuture<Void> send(List<StampedTelemetry> records, Duration maxWait);

    /**
     * Sends rejected input to the dead-letter topic, with its reason and raw payload.
     *
     * @param maxWait as for {@link #send}
     */
    CompletableFuture<Void> deadLetter(DeadLetter letter, Duration maxWait);

    /** Records sent and not yet acknowledged. */
    int inFlightRecords();

    /** Bytes sent and not yet acknowledged. */
    long inFlightBytes();

    /** Flushes what is pending and releases the transport. */
    @Override
    void close();
}
