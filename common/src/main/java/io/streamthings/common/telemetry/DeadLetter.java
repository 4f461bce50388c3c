package io.streamthings.common.telemetry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Input the platform refused, with the reason and the payload exactly as it came: the value of the
 * {@code telemetry.dlq} topic, so that nothing is dropped in silence.
 *
 * <p>Wire form (see {@link TelemetryCodec#encodeDeadLetter}); {@code tenant} and {@code deviceId} are left out when
 * unknown, and the payload is kept as text when it is valid UTF-8, else in base64:
 * <pre>{"reason":"metrics.temperature: expected a number, got \"hot\"","field":"metrics.temperature",
 * "receivedAt":1764131000456,"source":"mqtt","tenant":"acme","deviceId":"t-17",
 * "rawPayload":"{\"metrics\":{\"temperature\":\"hot\"}}","rawPayloadEncoding":"utf-8"}</pre>
 * A payload cut to {@link #MAX_RAW_PAYLOAD_BYTES} adds {@code "rawPayloadTruncated":true,"rawPayloadSize":<bytes as
 * received>}.
 *
 * @param reason why it was refused: the full validation message
 * @param field the field at fault, or {@code $} for the whole payload
 * @param receivedAt when it was received, epoch milliseconds (UTC)
 * @param source where it came from, e.g. {@code mqtt} or {@code http}
 * @param tenant the tenant of the sending device, or null when unknown (e.g. authentication failed)
 * @param deviceId the sending device, or null when unknown
 * @param rawPayload the payload bytes as received, cut to its first {@link #MAX_RAW_PAYLOAD_BYTES} bytes when longer
 *     (at a character boundary when it is UTF-8 text); copied in and out, so the record stays immutable
 * @param rawPayloadSize the size of the payload as received, in bytes: larger than {@code rawPayload().length}
 *     exactly when the payload was cut ({@link #truncated()})
 */
public record DeadLetter(String reason, String field, long receivedAt, String source, String tenant, String deviceId,
        byte[] rawPayload, long rawPayloadSize) {

    /**
     * The most payload bytes a dead letter keeps: 64 KiB, enough to see what was wrong, and a dead letter stays far
     * below Kafka's record limit however large the payload that caused it.
     */
    public static final int MAX_RAW_PAYLOAD_BYTES = 64 * 1024;

    /** The most characters of a reason kept; a longer one is cut and ends with {@code "..."}. */
    public static final int MAX_REASON_CHARS = 4_096;

    /** {@code rawPayloadEncoding} of a payload kept as text. */
    public static final String ENCODING_UTF8 = "utf-8";

    /** {@code rawPayloadEncoding} of a payload kept in base64 because it is not valid UTF-8. */
    public static final String ENCODING_BASE64 = "base64";

    /**
     * @throws IllegalArgumentException when reason or source is null or blank, or field is null
     * @throws NullPointerException when rawPayload is null
     */
    public DeadLetter {
        DeviceIdentity.requireNonBlank(reason, "reason");
        DeviceIdentity.requireNonBlank(source, "source");
        if (field == null) {
            throw new IllegalArgumentException("field must not be null");
        }
        Objects.requireNonNull(rawPayload, "rawPayload");
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS - 3) + "...";
        }
        rawPayloadSize = Math.max(rawPayloadSize, rawPayload.length);
        rawPayload = rawPayload.length > MAX_RAW_PAYLOAD_BYTES ? cut(rawPayload) : rawPayload.clone();
    }

    /**
     * A dead letter of the whole payload as received (cut to {@link #MAX_RAW_PAYLOAD_BYTES} when longer).
     *
     * @throws IllegalArgumentException when reason or source is null or blank, or field is null
     * @throws NullPointerException when rawPayload is null
     */
    public DeadLetter(String reason, String field, long receivedAt, String source, String tenant, String deviceId,
            byte[] rawPayload) {
        this(reason, field, receivedAt, source, tenant, deviceId, rawPayload,
                rawPayload == null ? 0 : rawPayload.length);
    }

    /** Whether the payload was longer than {@link #MAX_RAW_PAYLOAD_BYTES} and only its start is kept. */
    public boolean truncated() {
        return rawPayloadSize > rawPayload.length;
    }

    /** The first bytes of a payload, not ending inside a UTF-8 character (so that text stays text). */
    private static byte[] cut(byte[] raw) {
        int end = MAX_RAW_PAYLOAD_BYTES;
        // back off the continuation bytes (10xxxxxx) of a character the bound splits
        int back = 0;
        while (back < 3 && end > 0 && (raw[end] & 0xC0) == 0x80) {
            end--;
            back++;
        }
        return Arrays.copyOf(raw, end);
    }

    /**
     * A dead letter for a payload refused by the codec.
     *
     * @param e the reason
     * @param rawPayload the payload as received (for a rejection inside a batch, the record's own JSON)
     * @param receivedAt epoch milliseconds
     * @param source e.g. {@code mqtt} or {@code http}
     * @param tenant null when unknown
     * @param deviceId null when unknown
     */
    public static DeadLetter of(TelemetryValidationException e, byte[] rawPayload, long receivedAt, String source,
            String tenant, String deviceId) {
        return new DeadLetter(e.getMessage(), e.field(), receivedAt, source, tenant, deviceId, rawPayload);
    }

    /** A copy of the payload bytes as received. */
    @Override
    public byte[] rawPayload() {
        return rawPayload.clone();
    }

    /** The payload as text when it is valid UTF-8, else empty. */
    public Optional<String> rawPayloadText() {
        return Optional.ofNullable(utf8OrNull(rawPayload));
    }

    /** The payload decoded as strict UTF-8, or null when it is not valid UTF-8. */
    static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    byte[] rawPayloadUnsafe() {
        return rawPayload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d
                && reason.equals(d.reason)
                && field.equals(d.field)
                && receivedAt == d.receivedAt
                && source.equals(d.source)
                && Objects.equals(tenant, d.tenant)
                && Objects.equals(deviceId, d.deviceId)
                && Arrays.equals(rawPayload, d.rawPayload)
                && rawPayloadSize == d.rawPayloadSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, field, receivedAt, source, tenant, deviceId, Arrays.hashCode(rawPayload),
                rawPayloadSize);
    }

    @Override
    public String toString() {
        return "DeadLetter[reason=" + reason + ", field=" + field + ", receivedAt=" + receivedAt + ", source=" + source
                + ", tenant=" + tenant + ", deviceId=" + deviceId + ", rawPayload=" + rawPayload.length + " bytes" + (truncated() ? " of " + rawPayloadSize : "") + "]";
    }
}
