package io.streamthings.edge.source;

/**
 * Where the runtime's telemetry comes from: a thread of its own that hands records to a {@link SourceSink}.
 * Implementations read the platform's JSON format (one record or an array per line or body) except the simulated one.
 */
public interface Source extends AutoCloseable {

    /** A short name for logs and health: {@code stdin}, {@code file:/path}, {@code http:8099}, {@code simulated}. */
    String name();

    /** Starts reading; records go to sink, in the order read. */
    void start(SourceSink sink) throws Exception;

    /**
     * What the rules made of every record up to this position is in the queue: a source that can resume records it.
     * Called on the runtime's thread.
     */
    default void commit(long position) {}

    /** Stops reading and releases what the source holds; records already handed on are not taken back. */
    @Override
    void close();
}
