package io.streamthings.flink.realtime;

/**
 * What the Kafka source emits for each record of {@code telemetry.raw}: either the decoded event, or, for a record that
 * cannot be decoded, the dead letter that says why. Decoding in the source (rather than in a later operator) lets the
 * watermark be generated per Kafka partition from the event time.
 *
 * @param event the decoded record, or null when it could not be decoded
 * @param deadLetterKey the Kafka key of the undecodable record (may be null)
 * @param deadLetter the encoded {@link io.streamthings.common.telemetry.DeadLetter}, or null for a good record
 */
public record DecodedRecord(TelemetryEvent event, String deadLetterKey, byte[] deadLetter) {

    /** A good record. */
    public static DecodedRecord ok(TelemetryEvent event) {
        return new DecodedRecord(event, null, null);
    }

    /** An undecodable record. */
    public static DecodedRecord failed(String key, byte[] deadLetter) {
        return new DecodedRecord(null, key, deadLetter);
    }

    /** True when the record was decoded. */
    public boolean isOk() {
        return event != null;
    }
}
