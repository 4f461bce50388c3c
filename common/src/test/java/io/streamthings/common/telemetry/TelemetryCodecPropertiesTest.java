package io.streamthings.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever valid telemetry the codec writes it reads back unchanged, and whatever it reads it writes back as read. */
class TelemetryCodecPropertiesTest {

    private static final long NOW = TelemetryFixtures.RECEIVED_AT_MS;
    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";

    private final TelemetryCodec codec = new TelemetryCodec();

    @Property
    void shouldDecodeWhatItEncodesWhenRecordIsValid(@ForAll("records") TelemetryRecord record) {
        assertThat(codec.decode(codec.encode(record), NOW)).isEqualTo(record);
    }

    @Property
    void shouldEncodeWhatItDecodesByteForByte(@ForAll("records") TelemetryRecord record) {
        // Given: canonical JSON, as the encoder writes it
        byte[] json = codec.encode(record);

        // When
        byte[] again = codec.encode(codec.decode(json, NOW));

        // Then
        assertThat(again).isEqualTo(json);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(codec.decode(text, NOW)).isEqualTo(record);
    }

    @Property(tries = 200)
    void shouldRoundTripWhenBatchIsValid(@ForAll("batches") List<TelemetryRecord> records) {
        byte[] json = codec.encodeBatch(records);

        BatchDecodeResult result = codec.decodeBatch(json, NOW);

        assertThat(result.rejected()).isEmpty();
        assertThat(result.records()).isEqualTo(records);
        assertThat(codec.encodeBatch(result.records())).isEqualTo(json);
    }

    @Property
    void shouldRoundTripWhenRecordIsStamped(@ForAll("stamped") StampedTelemetry stamped) {
        byte[] json = codec.encodeStamped(stamped);

        StampedTelemetry decoded = codec.decodeStamped(json);

        assertThat(decoded).isEqualTo(stamped);
        assertThat(codec.encodeStamped(decoded)).isEqualTo(json);
    }

    @Property
    void shouldRoundTripDeadLetterWhateverThePayloadBytes(@ForAll byte[] raw, @ForAll("names") String field,
            @ForAll("unicode") String reason) {
        DeadLetter deadLetter = new DeadLetter("x" + reason, field, NOW, "mqtt", null, "t-17", raw);

        assertThat(codec.decodeDeadLetter(codec.encodeDeadLetter(deadLetter))).isEqualTo(deadLetter);
    }

    @Property
    void shouldOnlyEverRejectWithValidationExceptionWhenJsonIsDamaged(@ForAll("records") TelemetryRecord record,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll char replacement) {
        // Given: a valid record with one character replaced
        StringBuilder json = new StringBuilder(new String(codec.encode(record), StandardCharsets.UTF_8));
        json.setCharAt(position % json.length(), replacement);
        String damaged = json.toString();

        // When / Then: a record or a validation problem, never another exception
        try {
            codec.decode(damaged, NOW);
        } catch (TelemetryValidationException e) {
            assertThat(e.getMessage()).startsWith(e.field() + ": ");
        }
        BatchDecodeResult batch = codec.decodeBatch("[" + damaged + "]", NOW);
        assertThat(batch.accepted().size() + batch.rejected().size()).isEqualTo(1);
    }

    // ---- generators

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1)
                        .ofMaxLength(TelemetryLimits.DEFAULT_MAX_NAME_CHARS));
    }

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.oneOf(
                // Every finite double, subnormals included, from its bit pattern.
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
                Arbitraries.doubles().between(-1e6, 1e6).ofScale(4),
                Arbitraries.integers().map(i -> (double) i),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                        -Double.MAX_VALUE, 0.1, 1.0 / 3, 1e21, 1e-7, 9007199254740993.0, 2e-323));
    }

    /** Strings of any Unicode code points but unpaired surrogates, emoji and other astral characters included. */
    @Provide
    Arbitrary<String> unicode() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0, 0x10ffff).filter(cp -> cp < 0xd800 || cp > 0xdfff));
        return codePoints.list().ofMaxSize(40).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    @Provide
    Arbitrary<TelemetryRecord> records() {
        Arbitrary<Long> ts = Arbitraries.oneOf(
                Arbitraries.longs().between(TelemetryLimits.DEFAULT_MIN_TIMESTAMP_MS,
                        NOW + TelemetryLimits.DEFAULT_MAX_FUTURE_SKEW_MS),
                Arbitraries.of(TelemetryLimits.DEFAULT_MIN_TIMESTAMP_MS, NOW,
                        NOW + TelemetryLimits.DEFAULT_MAX_FUTURE_SKEW_MS));
        Arbitrary<String> tagKeys = names().filter(k -> !Rules.RESERVED_TAG_KEYS.contains(k));
        return Combinators.combine(
                        ts,
                        Arbitraries.maps(names(), values()).ofMinSize(1).ofMaxSize(20),
                        Arbitraries.maps(tagKeys, unicode()).ofMaxSize(8))
                .as(TelemetryRecord::new);
    }

    @Provide
    Arbitrary<List<TelemetryRecord>> batches() {
        return records().list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<StampedTelemetry> stamped() {
        Arbitrary<String> ids = unicode().filter(s -> !s.isBlank());
        return Combinators.combine(ids, ids, ids, Arbitraries.longs(), records())
                .as(StampedTelemetry::new);
    }
}
