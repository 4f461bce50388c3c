package io.streamthings.edge.source;

import io.streamthings.common.telemetry.TelemetryRecord;

/** Takes what sources read. Blocks when the runtime is behind, which slows the source down rather than drop. */
public interface SourceSink {

    /**
     * Hands a record on.
     *
     * @param from the source it came from
     * @param position where the source may resume once this record (and everything before it) went through the rules
     *     and their output is in the queue: the runtime then calls {@code from.commit(position)}; -1 for none
     */
    void accept(TelemetryRecord record, Source from, long position) throws InterruptedException;

    /** A line or body that is not telemetry: counted, and logged with the reason. */
    void rejected(String source, String reason);
}
