package io.streamthings.common.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes telemetry as JSON, and validates what devices send. Immutable and thread-safe: build one per set
 * of limits and share it.
 *
 * <h2>Decoding device input</h2>
 * {@link #decode(byte[], long)} reads one record, {@link #decodeBatch(byte[], long)} a JSON array of records or a
 * single record. Both take the receive time, epoch milliseconds, which
 * <ul>
 *   <li>becomes the record's {@code ts} when the payload has none (or {@code "ts": null}), and</li>
 *   <li>is the reference for the future-skew check ({@link TelemetryLimits#maxFutureSkewMs()}), so that tests and
 *       replays are deterministic.</li>
 * </ul>
 * {@code ts} may be epoch milliseconds (a fraction is dropped) or an ISO-8601 time with a zone offset
 * ({@code "2026-11-26T05:00:00Z"}, {@code "2026-11-26T06:00:00.123+01:00"}; digits below the millisecond are dropped).
 * {@code tags} is optional; {@code "tags": null} is taken as no tags. Any other top-level field is refused, the
 * identity fields ({@code tenant}, {@code deviceType}, {@code deviceId}, {@code receivedAt}) included: those come from
 * the device's credentials only. A problem is reported as a {@link TelemetryValidationException} whose message names
 * the field, e.g. {@code metrics.temperature: expected a number, got "hot"}; the first problem found is reported.
 * {@code NaN} and {@code Infinity} are refused whether sent as bare tokens, as strings, or as numbers too large for a
 * double.
 *
 * <h2>Encoding</h2>
 * Compact JSON in UTF-8, fields in a fixed order ({@code ts}, {@code metrics}, {@code tags}), metrics and tags in the
 * record's order, {@code tags} left out when empty; a double is written in the shortest form that reads back to the
 * same value, so {@code decode(encode(r)).equals(r)} for every record, {@code -0.0} included.
 *
 * <h2>Stamped records and dead letters</h2>
 * These are the platform's own Kafka values. Their decoders check the structure and the rules every record obeys, but
 * not the limits (which ingest applied already), and skip unknown fields so that producers can add some first.
 */
public final class TelemetryCodec {

    /**
     * One factory for every codec: Jackson's factory is thread-safe once configured, and sharing it shares its
     * field-name symbol table, so the metric names a fleet sends over and over are not re-allocated for every record.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Lets NaN and Infinity tokens through the parser so that the decoder can refuse them with the metric's
            // name, rather than as a syntax error that would cost the rest of the batch.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // Emoji and other characters beyond the BMP as their 4 UTF-8 bytes, not as a 12-byte escaped pair.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            // Names are compared with equals; interning device-chosen strings only fills the JVM's string table.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private static final SerializedString TS = new SerializedString("ts");
    private static final SerializedString METRICS = new SerializedString("metrics");
    private static final SerializedString TAGS = new SerializedString("tags");
    private static final SerializedString TENANT = new SerializedString("tenant");
    private static final SerializedString DEVICE_TYPE = new SerializedString("deviceType");
    private static final SerializedString DEVICE_ID = new SerializedString("deviceId");
    private static final SerializedString RECEIVED_AT = new SerializedString("receivedAt");

    private final TelemetryLimits limits;

    /** A codec with {@link TelemetryLimits#DEFAULTS}. */
    public TelemetryCodec() {
        this(TelemetryLimits.DEFAULTS);
    }

    /**
     * A codec that applies the given limits to device input.
     *
     * @throws NullPointerException when limits is null
     */
    public TelemetryCodec(TelemetryLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits this codec applies to device input. */
    public TelemetryLimits limits() {
        return limits;
    }

    // ---- device input

    /**
     * Decodes and validates one record sent by a device.
     *
     * @param json the payload, UTF-8
     * @param receivedAtMs the receive time, epoch milliseconds: the default {@code ts} and the reference for the
     *     future-skew check
     * @return the record, never null
     * @throws TelemetryValidationException when the payload is too large ({@link Kind#TOO_LARGE}), not JSON
     *     ({@link Kind#MALFORMED_JSON}, with line and column), or breaks a rule ({@link Kind#INVALID})
     * @throws NullPointerException when json is null
     */
    public TelemetryRecord decode(byte[] json, long receivedAtMs) {
        checkSize(Objects.requireNonNull(json, "json").length);
        return read(json, limits, receivedAtMs, TelemetryReader::readSingle);
    }

    /**
     * Decodes and validates one record from a String; as {@link #decode(byte[], long)}, the size limit being counted
     * in UTF-8 bytes.
     */
    public TelemetryRecord decode(String json, long receivedAtMs) {
        checkSize(utf8Length(Objects.requireNonNull(json, "json")));
        return read(json, limits, receivedAtMs, TelemetryReader::readSingle);
    }

    /**
     * Decodes and validates a batch: a JSON array of records, or a single record (a batch of one). Never throws for
     * bad input: each bad record becomes a {@link BatchDecodeResult.Rejection} with its index and raw JSON while the
     * good ones are accepted; a body that cannot be read as a whole (too large, more than
     * {@link TelemetryLimits#maxBatchRecords()} records, malformed JSON, neither object nor array) is refused as a
     * whole, with index -1.
     *
     * @param json the payload, UTF-8
     * @param receivedAtMs the receive time, epoch milliseconds, as in {@link #decode(byte[], long)}
     * @throws NullPointerException when json is null
     */
    public BatchDecodeResult decodeBatch(byte[] json, long receivedAtMs) {
        Objects.requireNonNull(json, "json");
        try {
            checkSize(json.length);
            try (JsonParser p = FACTORY.createParser(json)) {
                return new TelemetryReader(p, json, null, limits, receivedAtMs).readBatch();
            }
        } catch (TelemetryValidationException e) {
            return BatchDecodeResult.ofBody(e);
        } catch (JsonProcessingException e) {
            return BatchDecodeResult.ofBody(TelemetryReader.malformed(e));
        } catch (CharConversionException e) {
            return BatchDecodeResult.ofBody(TelemetryReader.notText(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a batch from a String; as {@link #decodeBatch(byte[], long)}. */
    public BatchDecodeResult decodeBatch(String json, long receivedAtMs) {
        Objects.requireNonNull(json, "json");
        try {
            checkSize(utf8Length(json));
            try (JsonParser p = FACTORY.createParser(json)) {
                return new TelemetryReader(p, null, json, limits, receivedAtMs).readBatch();
            }
        } catch (TelemetryValidationException e) {
            return BatchDecodeResult.ofBody(e);
        } catch (JsonProcessingException e) {
            return BatchDecodeResult.ofBody(TelemetryReader.malformed(e));
        } catch (CharConversionException e) {
            return BatchDecodeResult.ofBody(TelemetryReader.notText(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- records

    /**
     * Encodes one record as compact JSON, e.g. {@code {"ts":1764131000123,"metrics":{"temperature":21.5}}}.
     *
     * @return UTF-8 bytes
     * @throws NullPointerException when record is null
     */
    public byte[] encode(TelemetryRecord record) {
        Objects.requireNonNull(record, "record");
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            writeRecordFields(g, record);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte buffer cannot fail to write
        }
        return out.toByteArray();
    }

    /**
     * Encodes records as a compact JSON array, which {@link #decodeBatch(byte[], long)} reads back.
     *
     * @return UTF-8 bytes; {@code []} for an empty list
     * @throws NullPointerException when the list or an element is null
     */
    public byte[] encodeBatch(List<TelemetryRecord> records) {
        Objects.requireNonNull(records, "records");
        ByteArrayBuilder out = new ByteArrayBuilder(128 * Math.max(1, Math.min(records.size(), 1024)));
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (TelemetryRecord record : records) {
                Objects.requireNonNull(record, "record");
                g.writeStartObject();
                writeRecordFields(g, record);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- stamped records

    /**
     * Encodes a stamped record as flat compact JSON: {@code tenant}, {@code deviceType}, {@code deviceId},
     * {@code receivedAt}, then the record's fields.
     *
     * @return UTF-8 bytes
     * @throws NullPointerException when stamped is null
     */
    public byte[] encodeStamped(StampedTelemetry stamped) {
        Objects.requireNonNull(stamped, "stamped");
        ByteArrayBuilder out = new ByteArrayBuilder(192);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeFieldName(TENANT);
            g.writeString(stamped.tenant());
            g.writeFieldName(DEVICE_TYPE);
            g.writeString(stamped.deviceType());
            g.writeFieldName(DEVICE_ID);
            g.writeString(stamped.deviceId());
            g.writeFieldName(RECEIVED_AT);
            g.writeNumber(stamped.receivedAt());
            writeRecordFields(g, stamped.record());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a stamped record, as written by {@link #encodeStamped}. All of tenant, deviceType, deviceId, receivedAt,
     * ts and metrics are required; unknown fields are skipped; the limits are not applied.
     *
     * @param json UTF-8
     * @throws TelemetryValidationException when the JSON is malformed, a field is missing or a rule is broken
     * @throws NullPointerException when json is null
     */
    public StampedTelemetry decodeStamped(byte[] json) {
        return read(Objects.requireNonNull(json, "json"), TelemetryLimits.UNBOUNDED, 0, TelemetryReader::readStamped);
    }

    /** Decodes a stamped record from a String; as {@link #decodeStamped(byte[])}. */
    public StampedTelemetry decodeStamped(String json) {
        return read(Objects.requireNonNull(json, "json"), TelemetryLimits.UNBOUNDED, 0, TelemetryReader::readStamped);
    }

    // ---- dead letters

    /**
     * Encodes a dead letter as compact JSON (see {@link DeadLetter}). The payload is written as text when it is valid
     * UTF-8 ({@code "rawPayloadEncoding":"utf-8"}), else in base64 ({@code "base64"}); null tenant and deviceId are
     * left out.
     *
     * @return UTF-8 bytes
     * @throws NullPointerException when deadLetter is null
     */
    public byte[] encodeDeadLetter(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        byte[] raw = deadLetter.rawPayloadUnsafe();
        String text = DeadLetter.utf8OrNull(raw);
        ByteArrayBuilder out = new ByteArrayBuilder(256 + raw.length + raw.length / 2);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("reason", deadLetter.reason());
            g.writeStringField("field", deadLetter.field());
            g.writeNumberField("receivedAt", deadLetter.receivedAt());
            g.writeStringField("source", deadLetter.source());
            if (deadLetter.tenant() != null) {
                g.writeStringField("tenant", deadLetter.tenant());
            }
            if (deadLetter.deviceId() != null) {
                g.writeStringField("deviceId", deadLetter.deviceId());
            }
            g.writeStringField("rawPayload", text != null ? text : Base64.getEncoder().encodeToString(raw));
            g.writeStringField("rawPayloadEncoding",
                    text != null ? DeadLetter.ENCODING_UTF8 : DeadLetter.ENCODING_BASE64);
            if (deadLetter.truncated()) {
                g.writeBooleanField("rawPayloadTruncated", true);
                g.writeNumberField("rawPayloadSize", deadLetter.rawPayloadSize());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a dead letter, as written by {@link #encodeDeadLetter}; unknown fields are skipped.
     *
     * @param json UTF-8
     * @throws TelemetryValidationException when the JSON is malformed, a required field (reason, field, receivedAt,
     *     source, rawPayload) is missing, or the payload is not valid base64 where it says so
     * @throws NullPointerException when json is null
     */
    public DeadLetter decodeDeadLetter(byte[] json) {
        return read(Objects.requireNonNull(json, "json"), TelemetryLimits.UNBOUNDED, 0,
                TelemetryReader::readDeadLetter);
    }

    // ---- internals

    private static void writeRecordFields(JsonGenerator g, TelemetryRecord record) throws IOException {
        g.writeFieldName(TS);
        g.writeNumber(record.ts());
        g.writeFieldName(METRICS);
        g.writeStartObject();
        for (Map.Entry<String, Double> metric : record.metrics().entrySet()) {
            g.writeFieldName(metric.getKey());
            g.writeNumber(metric.getValue().doubleValue());
        }
        g.writeEndObject();
        if (!record.tags().isEmpty()) {
            g.writeFieldName(TAGS);
            g.writeStartObject();
            for (Map.Entry<String, String> tag : record.tags().entrySet()) {
                g.writeFieldName(tag.getKey());
                g.writeString(tag.getValue());
            }
            g.writeEndObject();
        }
    }

    private void checkSize(long bytes) {
        if (bytes > limits.maxPayloadBytes()) {
            throw TelemetryValidationException.ofInput(Kind.TOO_LARGE, "$", "payload is " + bytes
                    + " bytes, more than the limit of " + limits.maxPayloadBytes() + " bytes", null);
        }
    }

    /** The UTF-8 length of a String, or a lower bound of it when that is enough to know it is within the limit. */
    private long utf8Length(String s) {
        // A char is 1 to 3 bytes of UTF-8: only a String near or over the limit needs counting.
        return (long) s.length() * 3 <= limits.maxPayloadBytes() ? s.length() : utf8Length(s, s.length());
    }

    private static long utf8Length(String s, int chars) {
        long n = 0;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Reads UTF-8 bytes with one reader step, turning Jackson's parse errors into validation errors. */
    private static <T> T read(byte[] json, TelemetryLimits limits, long receivedAtMs, ReaderStep<T> step) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return step.read(new TelemetryReader(p, json, null, limits, receivedAtMs));
        } catch (JsonProcessingException e) {
            throw TelemetryReader.malformed(e);
        } catch (CharConversionException e) {
            throw TelemetryReader.notText(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory input cannot fail to read
        }
    }

    /** As {@link #read(byte[], TelemetryLimits, long, ReaderStep)}, for a String. */
    private static <T> T read(String json, TelemetryLimits limits, long receivedAtMs, ReaderStep<T> step) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return step.read(new TelemetryReader(p, null, json, limits, receivedAtMs));
        } catch (JsonProcessingException e) {
            throw TelemetryReader.malformed(e);
        } catch (CharConversionException e) {
            throw TelemetryReader.notText(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface ReaderStep<T> {
        T read(TelemetryReader reader) throws IOException;
    }
}
