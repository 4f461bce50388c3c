package io.streamthings.common.telemetry;

import static io.streamthings.common.telemetry.TelemetryValidationException.invalid;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one payload with a streaming parser and validates it as it goes. One instance per payload; not thread-safe.
 *
 * <p>Every problem is thrown as a {@link TelemetryValidationException}; Jackson's own exceptions are left to the
 * caller, which turns them into {@link #malformed} (syntax errors abort the whole body).
 */
final class TelemetryReader {

    private static final String TS = "ts";
    private static final Set<String> IDENTITY_FIELDS = Set.of("tenant", "deviceType", "deviceId", "receivedAt");
    private static final Set<String> NON_FINITE_WORDS =
            Set.of("nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf");

    private final JsonParser p;
    private final byte[] bytes;
    private final String text;
    private final TelemetryLimits limits;
    private final long now;

    /**
     * @param bytes the payload when the parser reads bytes, else null
     * @param text the payload when the parser reads a String, else null
     * @param now the receive time, epoch ms: the default {@code ts} and the reference for the future-skew check
     */
    TelemetryReader(JsonParser p, byte[] bytes, String text, TelemetryLimits limits, long now) {
        this.p = p;
        this.bytes = bytes;
        this.text = text;
        this.limits = limits;
        this.now = now;
    }

    // ---- payloads

    TelemetryRecord readSingle() throws IOException {
        expectRootObject(p.nextToken(), "a JSON object");
        TelemetryRecord record = readRecord();
        expectEnd();
        return record;
    }

    BatchDecodeResult readBatch() throws IOException {
        JsonStreamContext root = p.getParsingContext();
        JsonToken t = p.nextToken();
        List<BatchDecodeResult.Accepted> accepted = new ArrayList<>();
        List<BatchDecodeResult.Rejection> rejected = new ArrayList<>();
        if (t == JsonToken.START_OBJECT) {
            try {
                accepted.add(new BatchDecodeResult.Accepted(0, readRecord()));
            } catch (TelemetryValidationException e) {
                skipTo(root);
                rejected.add(BatchDecodeResult.Rejection.of(0, e, slice(0, payloadLength()).strip()));
            }
        } else if (t == JsonToken.START_ARRAY) {
            readArray(accepted, rejected);
        } else {
            expectRootObject(t, "a JSON object or an array of objects");
        }
        expectEnd();
        return new BatchDecodeResult(accepted, rejected);
    }

    private void readArray(List<BatchDecodeResult.Accepted> accepted, List<BatchDecodeResult.Rejection> rejected)
            throws IOException {
        JsonStreamContext array = p.getParsingContext();
        int index = 0;
        JsonToken t = p.nextToken();
        while (t != JsonToken.END_ARRAY) {
            if (t == null) { // Jackson reports an unclosed array itself; this only guards the loop
                throw malformed("unexpected end of input", p.currentLocation(), null);
            }
            if (index >= limits.maxBatchRecords()) {
                throw TelemetryValidationException.ofInput(Kind.TOO_LARGE, "$",
                        "batch has more than " + limits.maxBatchRecords() + " records", null);
            }
            long start = offset(p.currentTokenLocation());
            TelemetryValidationException problem = null;
            if (t == JsonToken.START_OBJECT) {
                try {
                    accepted.add(new BatchDecodeResult.Accepted(index, readRecord()));
                } catch (TelemetryValidationException e) {
                    problem = e;
                    skipTo(array);
                }
            } else {
                problem = invalid("$", "expected a JSON object, got " + describeValue(t));
            }
            t = p.nextToken();
            if (problem != null) {
                // The next token's start bounds the element: a string's end is not known until it is read.
                rejected.add(BatchDecodeResult.Rejection.of(index, problem,
                        trimElement(slice(start, offset(p.currentTokenLocation())))));
            }
            index++;
        }
    }

    StampedTelemetry readStamped() throws IOException {
        expectRootObject(p.nextToken(), "a JSON object");
        String tenant = null;
        String deviceType = null;
        String deviceId = null;
        Long receivedAt = null;
        Long ts = null;
        Map<String, Double> metrics = null;
        Map<String, String> tags = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "tenant" -> tenant = readRequiredString(name, t);
                case "deviceType" -> deviceType = readRequiredString(name, t);
                case "deviceId" -> deviceId = readRequiredString(name, t);
                case "receivedAt" -> receivedAt = readEpochMs(name, t);
                case TS -> ts = readEpochMs(name, t);
                case Rules.METRICS -> metrics = readMetrics(t);
                case Rules.TAGS -> tags = readTags(t);
                // Unknown fields are skipped: a newer producer may add some before every consumer knows them.
                default -> p.skipChildren();
            }
        }
        expectEnd();
        return new StampedTelemetry(required(tenant, "tenant"), required(deviceType, "deviceType"),
                required(deviceId, "deviceId"), required(receivedAt, "receivedAt"),
                new TelemetryRecord(required(ts, TS), required(metrics, Rules.METRICS), tags));
    }

    DeadLetter readDeadLetter() throws IOException {
        expectRootObject(p.nextToken(), "a JSON object");
        String reason = null;
        String field = null;
        Long receivedAt = null;
        String source = null;
        String tenant = null;
        String deviceId = null;
        String raw = null;
        String encoding = DeadLetter.ENCODING_UTF8;
        long size = 0;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "reason" -> reason = readRequiredString(name, t);
                case "field" -> field = readString(name, t);
                case "receivedAt" -> receivedAt = readEpochMs(name, t);
                case "source" -> source = readRequiredString(name, t);
                case "tenant" -> tenant = readString(name, t);
                case "deviceId" -> deviceId = readString(name, t);
                case "rawPayload" -> raw = readString(name, t);
                case "rawPayloadEncoding" -> encoding = readRequiredString(name, t);
                case "rawPayloadSize" -> size = readEpochMs(name, t);
                default -> p.skipChildren();
            }
        }
        expectEnd();
        required(raw, "rawPayload");
        byte[] payload;
        if (encoding.equals(DeadLetter.ENCODING_UTF8)) {
            payload = raw.getBytes(StandardCharsets.UTF_8);
        } else if (encoding.equals(DeadLetter.ENCODING_BASE64)) {
            try {
                payload = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw invalid("rawPayload", "not valid base64: " + e.getMessage());
            }
        } else {
            throw invalid("rawPayloadEncoding", "expected \"utf-8\" or \"base64\", got " + Rules.quoted(encoding));
        }
        return new DeadLetter(required(reason, "reason"), required(field, "field"), required(receivedAt, "receivedAt"),
                required(source, "source"), tenant, deviceId, payload, size);
    }

    // ---- the record

    /** Reads the fields of a record; the current token is its START_OBJECT, and is its END_OBJECT afterwards. */
    private TelemetryRecord readRecord() throws IOException {
        long ts = now;
        boolean seenTs = false;
        Map<String, Double> metrics = null;
        Map<String, String> tags = null;
        boolean seenTags = false;
        String name;
        while ((name = p.nextFieldName()) != null) {
            switch (name) {
                case TS -> {
                    checkOnce(seenTs, name);
                    seenTs = true;
                    JsonToken t = p.nextToken();
                    // An explicit null is taken as absent: many JSON libraries write unset fields that way.
                    if (t != JsonToken.VALUE_NULL) {
                        ts = checkTime(readEpochMs(TS, t));
                    }
                }
                case Rules.METRICS -> {
                    checkOnce(metrics != null, name);
                    metrics = readMetrics(p.nextToken());
                }
                case Rules.TAGS -> {
                    checkOnce(seenTags, name);
                    seenTags = true;
                    tags = readTags(p.nextToken());
                }
                default -> throw unknownField(name);
            }
        }
        if (metrics == null) {
            throw invalid(Rules.METRICS, "missing; a record needs at least one metric");
        }
        return new TelemetryRecord(ts, metrics, tags);
    }

    private static void checkOnce(boolean seen, String name) {
        if (seen) {
            throw invalid(name, "duplicate field");
        }
    }

    private static TelemetryValidationException unknownField(String name) {
        if (IDENTITY_FIELDS.contains(name)) {
            return invalid(name, "unknown field; the device identity and receive time come from the device's "
                    + "credentials, never from the payload");
        }
        return invalid(Rules.shownName(name), "unknown field; a record has only ts, metrics and tags");
    }

    private Map<String, Double> readMetrics(JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw invalid(Rules.METRICS, "expected an object of metric names to numbers, got " + describeValue(t));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            if (metrics.size() >= limits.maxMetricsPerRecord()) {
                throw invalid(Rules.METRICS, "more than " + limits.maxMetricsPerRecord() + " metrics");
            }
            Rules.checkName(Rules.METRICS, name, limits.maxNameChars());
            double value = readMetricValue(name, p.nextToken());
            if (metrics.put(name, value) != null) {
                throw invalid(Rules.metricField(name), "duplicate metric");
            }
        }
        if (metrics.isEmpty()) {
            throw invalid(Rules.METRICS, "must contain at least one metric");
        }
        return metrics;
    }

    private double readMetricValue(String name, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            double value = p.getDoubleValue();
            if (Double.isFinite(value)) {
                if (value == 0 && t == JsonToken.VALUE_NUMBER_INT && p.getTextCharacters()[p.getTextOffset()] == '-') {
                    return -0.0; // "-0" is an integer token to Jackson, but its sign is the sender's.
                }
                return value;
            }
            String got = p.getText();
            throw invalid(Rules.metricField(name), "expected a finite number, got " + got
                    + (p.isNaN() ? "" : " (out of the range of a double)"));
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            boolean nonFinite = NON_FINITE_WORDS.contains(s.strip().toLowerCase(Locale.ROOT));
            String expected = nonFinite ? "a finite number" : "a number";
            throw invalid(Rules.metricField(name), "expected " + expected + ", got " + Rules.quoted(s));
        }
        throw invalid(Rules.metricField(name), "expected a number, got " + describeValue(t));
    }

    private Map<String, String> readTags(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (t != JsonToken.START_OBJECT) {
            throw invalid(Rules.TAGS, "expected an object of tag keys to strings, got " + describeValue(t));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        String key;
        while ((key = p.nextFieldName()) != null) {
            if (tags.size() >= limits.maxTagsPerRecord()) {
                throw invalid(Rules.TAGS, "more than " + limits.maxTagsPerRecord() + " tags");
            }
            Rules.checkName(Rules.TAGS, key, limits.maxNameChars());
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw invalid(Rules.tagField(key), "expected a string, got " + describeValue(v));
            }
            String value = p.getText();
            Rules.checkTagValue(key, value, limits.maxTagValueChars());
            if (tags.put(key, value) != null) {
                throw invalid(Rules.tagField(key), "duplicate tag");
            }
        }
        return tags;
    }

    // ---- time

    /** Epoch milliseconds from a number (fractions dropped) or an ISO-8601 string with a zone offset. */
    private long readEpochMs(String field, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw invalid(field, "expected epoch milliseconds, got " + Rules.shownJson(p.getText())
                            + " (out of range)");
                }
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                // Some clients compute milliseconds in floating point (Python's time.time() * 1000); the fraction is
                // below what the platform keeps, so it is dropped rather than refused.
                if (Double.isFinite(d) && d >= -0x1p63 && d < 0x1p63) {
                    return (long) Math.floor(d);
                }
                throw invalid(field, "expected epoch milliseconds, got " + Rules.shownJson(p.getText())
                        + (p.isNaN() ? "" : " (out of range)"));
            }
            case VALUE_STRING -> {
                return parseIso(field, p.getText());
            }
            default -> throw invalid(field, "expected epoch milliseconds or an ISO-8601 string, got "
                    + describeValue(t));
        }
    }

    private static long parseIso(String field, String s) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(s, Instant::from).toEpochMilli();
        } catch (DateTimeParseException e) {
            if (isLocalDateTime(s)) {
                throw invalid(field, "ISO-8601 time needs a zone offset such as Z or +01:00, got " + Rules.quoted(s));
            }
            throw invalid(field, "expected epoch milliseconds or an ISO-8601 time such as 2026-11-26T05:00:00Z, got "
                    + Rules.quoted(s));
        } catch (ArithmeticException e) {
            throw invalid(field, "out of range, got " + Rules.quoted(s));
        }
    }

    private static boolean isLocalDateTime(String s) {
        try {
            LocalDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private long checkTime(long ts) {
        if (ts < limits.minTimestampMs()) {
            String hint = "";
            // Epoch seconds sent as milliseconds land in January 1970: say so, it is the common mistake.
            if (ts > 0 && ts < Long.MAX_VALUE / 1000 && ts * 1000 >= limits.minTimestampMs()
                    && ts * 1000 <= latestAccepted()) {
                hint = "; ts is in epoch milliseconds, and this looks like seconds";
            }
            throw invalid(TS, ts + " (" + Instant.ofEpochMilli(ts) + ") is before the earliest time accepted, "
                    + Instant.ofEpochMilli(limits.minTimestampMs()) + hint);
        }
        if (ts > latestAccepted()) {
            throw invalid(TS, ts + " (" + Instant.ofEpochMilli(ts) + ") is more than " + limits.maxFutureSkewMs()
                    + " ms after the receive time " + Instant.ofEpochMilli(now) + "; is the device clock right?");
        }
        return ts;
    }

    private long latestAccepted() {
        return now > Long.MAX_VALUE - limits.maxFutureSkewMs() ? Long.MAX_VALUE : now + limits.maxFutureSkewMs();
    }

    // ---- helpers

    private String readString(String field, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw invalid(field, "expected a string, got " + describeValue(t));
        }
        return p.getText();
    }

    private String readRequiredString(String field, JsonToken t) throws IOException {
        String s = readString(field, t);
        if (s == null || s.isBlank()) {
            throw invalid(field, "must not be blank");
        }
        return s;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw invalid(field, "missing");
        }
        return value;
    }

    private void expectRootObject(JsonToken t, String expected) throws IOException {
        if (t == null) {
            throw TelemetryValidationException.ofInput(Kind.MALFORMED_JSON, "$", "empty payload, expected " + expected,
                    null);
        }
        if (t != JsonToken.START_OBJECT) {
            throw invalid("$", "expected " + expected + ", got " + describeValue(t));
        }
    }

    private void expectEnd() throws IOException {
        if (p.nextToken() != null) {
            throw malformed("unexpected content after the end of the JSON value", p.currentTokenLocation(), null);
        }
    }

    /** Skips ahead until the parser is back in {@code context}, after a record was refused half-way. */
    private void skipTo(JsonStreamContext context) throws IOException {
        while (p.getParsingContext() != context) {
            if (p.nextToken() == null) {
                throw malformed("unexpected end of input", p.currentLocation(), null);
            }
        }
    }

    /** The current value as JSON for a message; for an object or array the parser is left at its end. */
    private String describeValue(JsonToken t) throws IOException {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case VALUE_STRING -> Rules.quoted(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Rules.shownJson(p.getText());
            case START_OBJECT, START_ARRAY -> {
                long start = offset(p.currentTokenLocation());
                p.skipChildren();
                yield Rules.shownJson(slice(start, offset(p.currentLocation())));
            }
            default -> t.asString() != null ? t.asString() : t.toString();
        };
    }

    private long offset(JsonLocation location) {
        return bytes != null ? location.getByteOffset() : location.getCharOffset();
    }

    private int payloadLength() {
        return bytes != null ? bytes.length : text.length();
    }

    private String slice(long start, long end) {
        int from = (int) Math.max(0, start);
        int to = (int) Math.min(payloadLength(), Math.max(from, end));
        return bytes != null ? new String(bytes, from, to - from, StandardCharsets.UTF_8) : text.substring(from, to);
    }

    /** An element's text up to the next token, without the separating comma and whitespace. */
    private static String trimElement(String s) {
        String t = s.stripTrailing();
        if (t.endsWith(",")) {
            t = t.substring(0, t.length() - 1).stripTrailing();
        }
        return t;
    }

    static TelemetryValidationException malformed(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        // Jackson adds where the source is and how to configure it; neither means anything to a device.
        int source = message.indexOf(" [Source:");
        if (source >= 0) {
            message = message.substring(0, source);
        }
        message = message.replaceAll(", from `[^`]*`", "").replaceAll("\\s+", " ").strip();
        JsonLocation location = e instanceof StreamConstraintsException ? null : e.getLocation();
        return malformed(message, location, e);
    }

    /**
     * Bytes Jackson took for UTF-16 or UTF-32 (it guesses from leading zero bytes) that are not valid in it: not
     * text at all, for a codec that reads UTF-8 JSON.
     */
    static TelemetryValidationException notText(java.io.CharConversionException e) {
        return malformed("not valid text (" + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip() + ")", null,
                e);
    }

    private static TelemetryValidationException malformed(String problem, JsonLocation location, Throwable cause) {
        String where = location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return TelemetryValidationException.ofInput(Kind.MALFORMED_JSON, "$", "malformed JSON" + where + ": " + problem,
                cause);
    }
}
