package io.streamthings.common.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of decoding a batch: the records that passed, each with its position in the batch, and a rejection for
 * each one that did not, so that one bad record does not cost the good ones.
 *
 * <p>When the body as a whole cannot be read (malformed JSON, too large, too many records, neither an object nor an
 * array) nothing is accepted and there is exactly one rejection, with index {@code -1}: see {@link #bodyRejected()}.
 *
 * @param accepted the records that passed, in batch order; unmodifiable
 * @param rejected the records that did not, in batch order; unmodifiable
 */
public record BatchDecodeResult(List<Accepted> accepted, List<Rejection> rejected) {

    /** @throws NullPointerException when a list or an element is null */
    public BatchDecodeResult {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    static BatchDecodeResult ofBody(TelemetryValidationException e) {
        return new BatchDecodeResult(List.of(), List.of(Rejection.of(-1, e, null)));
    }

    /** The accepted records alone, in batch order. */
    public List<TelemetryRecord> records() {
        List<TelemetryRecord> records = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            records.add(a.record());
        }
        return records;
    }

    /** True when the body as a whole was refused; {@code rejected().get(0)} then says why. */
    public boolean bodyRejected() {
        return rejected.size() == 1 && rejected.get(0).index() == -1;
    }

    /**
     * A record that passed.
     *
     * @param index its 0-based position in the batch (0 for a body that is a single object)
     * @param record the record
     */
    public record Accepted(int index, TelemetryRecord record) {

        /** @throws NullPointerException when record is null */
        public Accepted {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * A record, or the whole body, that was refused.
     *
     * @param index the 0-based position of the record in the batch, or -1 for the whole body
     * @param kind the kind of problem, which decides the HTTP status when the whole body is refused
     * @param field the field at fault within the record ({@code metrics.temperature}), or {@code $}
     * @param message the full message, {@code field: problem}, fit to return to the client
     * @param rawJson the record's JSON text as sent, for the dead-letter topic; null for the whole body (index -1),
     *     whose bytes the caller already holds
     */
    public record Rejection(int index, TelemetryValidationException.Kind kind, String field, String message,
            String rawJson) {

        /** @throws NullPointerException when kind, field or message is null */
        public Rejection {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }

        static Rejection of(int index, TelemetryValidationException e, String rawJson) {
            return new Rejection(index, e.kind(), e.field(), e.getMessage(), rawJson);
        }
    }
}
