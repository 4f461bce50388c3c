package io.streamthings.flink.realtime;

import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryValidationException;
import java.nio.charset.StandardCharsets;

/**
 * Turns one Kafka record of {@code telemetry.raw} into a {@link DecodedRecord}: the decoded event, or a dead letter
 * with the reason. Never throws on bad input: one broken record must not stop the job.
 */
public final class Decoding {

    /** The {@code source} of the dead letters this job writes. */
    public static final String DEAD_LETTER_SOURCE = "flink-realtime";

    private final TelemetryCodec codec = new TelemetryCodec();

    /**
     * @param key the Kafka key ({@code tenant/deviceId}), may be null
     * @param value the Kafka value, may be null (a tombstone)
     * @param kafkaTimestamp the Kafka record's timestamp, epoch ms: the receive time of a dead letter
     */
    public DecodedRecord decode(byte[] key, byte[] value, long kafkaTimestamp) {
        try {
            if (value == null || value.length == 0) {
                throw new TelemetryValidationException(TelemetryValidationException.Kind.MALFORMED_JSON, "$",
                        "empty record value");
            }
            return DecodedRecord.ok(TelemetryEvent.from(codec.decodeStamped(value)));
        } catch (TelemetryValidationException e) {
            return deadLetter(key, value, kafkaTimestamp, DeadLetter.of(e, orEmpty(value), kafkaTimestamp,
                    DEAD_LETTER_SOURCE, tenant(key), deviceId(key)));
        } catch (RuntimeException e) {
            // The codec's contract is a TelemetryValidationException for bad input; anything else is still the
            // record's fault as far as this job is concerned, and it goes to the dead letters with the reason.
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            return deadLetter(key, value, kafkaTimestamp, new DeadLetter(reason, "$", kafkaTimestamp,
                    DEAD_LETTER_SOURCE, tenant(key), deviceId(key), orEmpty(value)));
        }
    }

    private DecodedRecord deadLetter(byte[] key, byte[] value, long ts, DeadLetter letter) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        return DecodedRecord.failed(keyText, codec.encodeDeadLetter(letter));
    }

    private static byte[] orEmpty(byte[] value) {
        return value == null ? new byte[0] : value;
    }

    /** The tenant part of a {@code tenant/deviceId} key, or null. */
    static String tenant(byte[] key) {
        return DeviceKey.tryParse(keyText(key)).map(DeviceKey::tenant).orElse(null);
    }

    /** The device id part of a {@code tenant/deviceId} key, or null. */
    static String deviceId(byte[] key) {
        return DeviceKey.tryParse(keyText(key)).map(DeviceKey::deviceId).orElse(null);
    }

    private static String keyText(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
}
