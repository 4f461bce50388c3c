package io.streamthings.common.telemetry;

import java.time.Instant;

/**
 * The limits the decoder applies to telemetry from devices. Immutable: start from {@link #DEFAULTS} and change what
 * you need with the {@code with...} methods, each of which returns a new instance.
 *
 * <pre>TelemetryLimits limits = TelemetryLimits.DEFAULTS.withMaxFutureSkewMs(60_000).withMaxTagsPerRecord(16);</pre>
 *
 * <p>Every {@code with...} method throws {@link IllegalArgumentException} on a value out of range (a count or size
 * below 1, a negative skew), so a bad configuration fails at start.
 */
public final class TelemetryLimits {

    /** Default of {@link #maxPayloadBytes()}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

    /** Default of {@link #maxBatchRecords()}. */
    public static final int DEFAULT_MAX_BATCH_RECORDS = 10_000;

    /** Default of {@link #maxMetricsPerRecord()}. */
    public static final int DEFAULT_MAX_METRICS_PER_RECORD = 1_000;

    /** Default of {@link #maxTagsPerRecord()}. */
    public static final int DEFAULT_MAX_TAGS_PER_RECORD = 64;

    /** Default of {@link #maxNameChars()}. */
    public static final int DEFAULT_MAX_NAME_CHARS = 128;

    /** Default of {@link #maxTagValueChars()}. */
    public static final int DEFAULT_MAX_TAG_VALUE_CHARS = 256;

    /** Default of {@link #maxFutureSkewMs()}: 5 minutes. */
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60 * 1000L;

    /** Default of {@link #minTimestampMs()}: 2000-01-01T00:00:00Z. */
    public static final long DEFAULT_MIN_TIMESTAMP_MS = 946_684_800_000L;

    /** The defaults above. */
    public static final TelemetryLimits DEFAULTS = new TelemetryLimits(DEFAULT_MAX_PAYLOAD_BYTES,
            DEFAULT_MAX_BATCH_RECORDS, DEFAULT_MAX_METRICS_PER_RECORD, DEFAULT_MAX_TAGS_PER_RECORD,
            DEFAULT_MAX_NAME_CHARS, DEFAULT_MAX_TAG_VALUE_CHARS, DEFAULT_MAX_FUTURE_SKEW_MS, DEFAULT_MIN_TIMESTAMP_MS);

    /**
     * No limits at all, for data that already passed them at the edge (stamped records read back from Kafka): a
     * consumer configured with tighter limits than ingest must not drop what ingest accepted.
     */
    static final TelemetryLimits UNBOUNDED = new TelemetryLimits(Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE);

    private final int maxPayloadBytes;
    private final int maxBatchRecords;
    private final int maxMetricsPerRecord;
    private final int maxTagsPerRecord;
    private final int maxNameChars;
    private final int maxTagValueChars;
    private final long maxFutureSkewMs;
    private final long minTimestampMs;

    private TelemetryLimits(int maxPayloadBytes, int maxBatchRecords, int maxMetricsPerRecord, int maxTagsPerRecord,
            int maxNameChars, int maxTagValueChars, long maxFutureSkewMs, long minTimestampMs) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxBatchRecords = maxBatchRecords;
        this.maxMetricsPerRecord = maxMetricsPerRecord;
        this.maxTagsPerRecord = maxTagsPerRecord;
        this.maxNameChars = maxNameChars;
        this.maxTagValueChars = maxTagValueChars;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.minTimestampMs = minTimestampMs;
    }

    /** The largest payload accepted, in bytes of UTF-8, single record or batch; checked before parsing. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** The most records in one batch (JSON array); a longer batch is refused as a whole. */
    public int maxBatchRecords() {
        return maxBatchRecords;
    }

    /** The most metrics in one record. */
    public int maxMetricsPerRecord() {
        return maxMetricsPerRecord;
    }

    /** The most tags in one record. */
    public int maxTagsPerRecord() {
        return maxTagsPerRecord;
    }

    /** The longest metric name or tag key, in characters. */
    public int maxNameChars() {
        return maxNameChars;
    }

    /** The longest tag value, in Unicode code points. */
    public int maxTagValueChars() {
        return maxTagValueChars;
    }

    /** How far {@code ts} may lie ahead of the receive time, in milliseconds, to allow for device clock drift. */
    public long maxFutureSkewMs() {
        return maxFutureSkewMs;
    }

    /** The earliest {@code ts} accepted, epoch milliseconds; earlier is taken for a device with an unset clock. */
    public long minTimestampMs() {
        return minTimestampMs;
    }

    /** @param bytes at least 1 */
    public TelemetryLimits withMaxPayloadBytes(int bytes) {
        return new TelemetryLimits(atLeastOne(bytes, "maxPayloadBytes"), maxBatchRecords, maxMetricsPerRecord,
                maxTagsPerRecord, maxNameChars, maxTagValueChars, maxFutureSkewMs, minTimestampMs);
    }

    /** @param records at least 1 */
    public TelemetryLimits withMaxBatchRecords(int records) {
        return new TelemetryLimits(maxPayloadBytes, atLeastOne(records, "maxBatchRecords"), maxMetricsPerRecord,
                maxTagsPerRecord, maxNameChars, maxTagValueChars, maxFutureSkewMs, minTimestampMs);
    }

    /** @param metrics at least 1 */
    public TelemetryLimits withMaxMetricsPerRecord(int metrics) {
        return new TelemetryLimits(maxPayloadBytes, maxBatchRecords, atLeastOne(metrics, "maxMetricsPerRecord"),
                maxTagsPerRecord, maxNameChars, maxTagValueChars, maxFutureSkewMs, minTimestampMs);
    }

    /** @param tags at least 1 */
    public TelemetryLimits withMaxTagsPerRecord(int tags) {
        return new TelemetryLimits(maxPayloadBytes, maxBatchRecords, maxMetricsPerRecord,
                atLeastOne(tags, "maxTagsPerRecord"), maxNameChars, maxTagValueChars, maxFutureSkewMs, minTimestampMs);
    }

    /** @param chars at least 1 */
    public TelemetryLimits withMaxNameChars(int chars) {
        return new TelemetryLimits(maxPayloadBytes, maxBatchRecords, maxMetricsPerRecord, maxTagsPerRecord,
                atLeastOne(chars, "maxNameChars"), maxTagValueChars, maxFutureSkewMs, minTimestampMs);
    }

    /** @param chars at least 1 */
    public TelemetryLimits withMaxTagValueChars(int chars) {
        return new TelemetryLimits(maxPayloadBytes, maxBatchRecords, maxMetricsPerRecord, maxTagsPerRecord,
                maxNameChars, atLeastOne(chars, "maxTagValueChars"), maxFutureSkewMs, minTimestampMs);
    }

    /** @param skewMs 0 or more; 0 refuses any {@code ts} after the receive time */
    public TelemetryLimits withMaxFutureSkewMs(long skewMs) {
        if (skewMs < 0) {
            throw new IllegalArgumentException("maxFutureSkewMs must not be negative, got " + skewMs);
        }
        return new TelemetryLimits(maxPayloadBytes, maxBatchRecords, maxMetricsPerRecord, maxTagsPerRecord,
                maxNameChars, maxTagValueChars, skewMs, minTimestampMs);
    }

    /** @param epochMs any time, epoch milliseconds; negative times are allowed only when this is negative */
    public TelemetryLimits withMinTimestampMs(long epochMs) {
        return new TelemetryLimits(maxPayloadBytes, maxBatchRecords, maxMetricsPerRecord, maxTagsPerRecord,
                maxNameChars, maxTagValueChars, maxFutureSkewMs, epochMs);
    }

    private static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TelemetryLimits l
                && maxPayloadBytes == l.maxPayloadBytes
                && maxBatchRecords == l.maxBatchRecords
                && maxMetricsPerRecord == l.maxMetricsPerRecord
                && maxTagsPerRecord == l.maxTagsPerRecord
                && maxNameChars == l.maxNameChars
                && maxTagValueChars == l.maxTagValueChars
                && maxFutureSkewMs == l.maxFutureSkewMs
                && minTimestampMs == l.minTimestampMs;
    }

    @Override
    public int hashCode() {
        int h = maxPayloadBytes;
        h = 31 * h + maxBatchRecords;
        h = 31 * h + maxMetricsPerRecord;
        h = 31 * h + maxTagsPerRecord;
        h = 31 * h + maxNameChars;
        h = 31 * h + maxTagValueChars;
        h = 31 * h + Long.hashCode(maxFutureSkewMs);
        return 31 * h + Long.hashCode(minTimestampMs);
    }

    @Override
    public String toString() {
        return "TelemetryLimits{maxPayloadBytes=" + maxPayloadBytes
                + ", maxBatchRecords=" + maxBatchRecords
                + ", maxMetricsPerRecord=" + maxMetricsPerRecord
                + ", maxTagsPerRecord=" + maxTagsPerRecord
                + ", maxNameChars=" + maxNameChars
                + ", maxTagValueChars=" + maxTagValueChars
                + ", maxFutureSkewMs=" + maxFutureSkewMs
                + ", minTimestampMs=" + minTimestampMs + " (" + Instant.ofEpochMilli(minTimestampMs) + ")}";
    }
}
