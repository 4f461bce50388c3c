package io.streamthings.edge.queue;

import java.util.Objects;

/**
 * One record of the store-and-forward queue.
 *
 * @param seq its sequence number: positive, increasing over the queue's life (across restarts)
 * @param kind what it holds, which decides its topic and the order in which bounds drop records
 * @param appendedAt when it entered the queue, epoch ms (the age bound counts from it)
 * @param payload its JSON
 */
public record QueuedRecord(long seq, Kind kind, long appendedAt, byte[] payload) {

    /** The kinds of record, in the order their ordinals are written to disk: never reorder. */
    public enum Kind {
        /** an alert a rule emitted; kept before telemetry when a bound is reached */
        ALERT,
        /** downsampled telemetry; the first to go past a bound */
        TELEMETRY,
        /** an operation's status, published on its own topic; kept like alerts */
        STATUS
    }

    public QueuedRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    /** Its size on disk, header included. */
    public int diskSize() {
        return SegmentLog.HEADER + SegmentLog.BODY_FIXED + payload.length;
    }
}
