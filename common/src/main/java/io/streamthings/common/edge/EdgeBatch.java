package io.streamthings.common.edge;

import java.util.List;
import java.util.Objects;

/**
 * What an edge runtime publishes on {@code devices/{deviceId}/edge/records}: records out of its store-and-forward
 * queue, in sequence order. The platform keeps the last sequence it took per device and epoch, and drops a record
 * whose sequence is not above it (a resend after a lost PUBACK, a reconnect or a crash).
 *
 * @param epoch names the device's queue: a new one (its data folder wiped) starts its sequences afresh
 * @param records the records, sequences increasing
 */
public record EdgeBatch(String epoch, List<Entry> records) {

    /** The kinds of record an edge runtime sends up. */
    public enum Kind {
        /** an {@code AlertCodec} object: what a rule inserted into {@code AlertStream} */
        ALERT,
        /** a {@code TelemetryCodec} object: downsampled telemetry */
        TELEMETRY
    }

    /**
     * One record.
     *
     * @param seq its sequence number, positive, increasing within an epoch
     * @param kind what the JSON holds
     * @param json the record's own JSON object (UTF-8), kept byte for byte
     */
    public record Entry(long seq, Kind kind, byte[] json) {
        public Entry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(json, "json");
            if (seq <= 0) {
                throw new IllegalArgumentException("seq must be positive: " + seq);
            }
        }
    }

    /** @throws NullPointerException when epoch or records is null */
    public EdgeBatch {
        Objects.requireNonNull(epoch, "epoch");
        records = List.copyOf(records);
    }
}
