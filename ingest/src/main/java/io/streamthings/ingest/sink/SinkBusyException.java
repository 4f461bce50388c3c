package io.streamthings.ingest.sink;

/**
 * The sink had no room for more records in flight within the wait allowed: Kafka is slow or down. Callers answer 503
 * (HTTP) or hold the acknowledgement back (MQTT). No stack trace: it is an expected outcome under load.
 */
public final class SinkBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SinkBusyException(String message) {
        super(message, null, false, false);
    }
}
