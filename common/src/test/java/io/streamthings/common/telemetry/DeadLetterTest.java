package io.streamthings.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final TelemetryCodec CODEC = new TelemetryCodec();

    private static final long NOW = TelemetryFixtures.RECEIVED_AT_MS;

    private final TelemetryCodec codec = new TelemetryCodec();

    @Test
    void shouldCutAHugePayloadToTheBoundKeepingItsSizeAndMarkIt() {
        // Given a 200 KiB text payload whose bound falls inside a 3-byte character
        String text = "x".repeat(DeadLetter.MAX_RAW_PAYLOAD_BYTES - 1) + "€".repeat(50_000);
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);

        // When
        DeadLetter letter = new DeadLetter("too big", "$", 1L, "mqtt", "acme", "d1", raw);
        DeadLetter back = CODEC.decodeDeadLetter(CODEC.encodeDeadLetter(letter));

        // Then only the start is kept, still text, and the letter says how large the payload was
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.rawPayloadSize()).isEqualTo(raw.length);
        assertThat(letter.rawPayload()).hasSize(DeadLetter.MAX_RAW_PAYLOAD_BYTES - 1);
        assertThat(letter.rawPayloadText()).hasValue("x".repeat(DeadLetter.MAX_RAW_PAYLOAD_BYTES - 1));
        String json = new String(CODEC.encodeDeadLetter(letter), StandardCharsets.UTF_8);
        assertThat(json).endsWith("\"rawPayloadTruncated\":true,\"rawPayloadSize\":" + raw.length + "}")
                .hasSizeLessThan(DeadLetter.MAX_RAW_PAYLOAD_BYTES + 1_000);
        assertThat(back).isEqualTo(letter);
        assertThat(back.truncated()).isTrue();
    }

    @Test
    void shouldLeaveAPayloadWithinTheBoundWhole() {
        byte[] raw = new byte[DeadLetter.MAX_RAW_PAYLOAD_BYTES];
        DeadLetter letter = new DeadLetter("r", "$", 1L, "http", null, null, raw);
        assertThat(letter.truncated()).isFalse();
        assertThat(letter.rawPayload()).hasSize(raw.length);
        assertThat(new String(CODEC.encodeDeadLetter(letter), StandardCharsets.UTF_8)).doesNotContain("Truncated");
    }

    @Test
    void shouldCutAHugeReason() {
        DeadLetter letter = new DeadLetter("r".repeat(100_000), "$", 1L, "http", null, null, new byte[0]);
        assertThat(letter.reason()).hasSize(DeadLetter.MAX_REASON_CHARS).endsWith("...");
    }

    @Test
    void shouldKeepPayloadAsTextWhenItIsUtf8() {
        // Given
        byte[] raw = "{\"metrics\": {\"temperature\": \"hot\"}}".getBytes(StandardCharsets.UTF_8);
        TelemetryValidationException e = catchRejection(raw);
        DeadLetter deadLetter = DeadLetter.of(e, raw, NOW, "mqtt", "acme", "t-17");

        // When
        String json = new String(codec.encodeDeadLetter(deadLetter), StandardCharsets.UTF_8);

        // Then
        assertThat(json).isEqualTo("{\"reason\":\"metrics.temperature: expected a number, got \\\"hot\\\"\","
                + "\"field\":\"metrics.temperature\",\"receivedAt\":1764131000456,\"source\":\"mqtt\","
                + "\"tenant\":\"acme\",\"deviceId\":\"t-17\","
                + "\"rawPayload\":\"{\\\"metrics\\\": {\\\"temperature\\\": \\\"hot\\\"}}\","
                + "\"rawPayloadEncoding\":\"utf-8\"}");
        assertThat(codec.decodeDeadLetter(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(deadLetter);
    }

    @Test
    void shouldKeepPayloadInBase64WhenItIsNotUtf8() {
        // Given
        byte[] raw = {'{', (byte) 0xff, (byte) 0xfe, 0, '}'};
        TelemetryValidationException e = catchRejection(raw);
        DeadLetter deadLetter = DeadLetter.of(e, raw, NOW, "http", null, null);

        // When
        byte[] json = codec.encodeDeadLetter(deadLetter);
        DeadLetter decoded = codec.decodeDeadLetter(json);

        // Then
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"rawPayload\":\"e//+AH0=\",\"rawPayloadEncoding\":\"base64\"")
                .doesNotContain("tenant", "deviceId");
        assertThat(decoded).isEqualTo(deadLetter);
        assertThat(decoded.rawPayload()).containsExactly(raw);
        assertThat(decoded.rawPayloadText()).isEmpty();
        assertThat(decoded.tenant()).isNull();
        assertThat(decoded.field()).isEqualTo("$");
    }

    @Test
    void shouldStayImmutableWhenCallerChangesPayloadArray() {
        // Given
        byte[] raw = "abc".getBytes(StandardCharsets.UTF_8);
        DeadLetter deadLetter = new DeadLetter("$: bad", "$", NOW, "http", null, null, raw);

        // When
        raw[0] = 'X';
        deadLetter.rawPayload()[1] = 'Y';

        // Then
        assertThat(deadLetter.rawPayloadText()).contains("abc");
    }

    @Test
    void shouldCompareByPayloadContent() {
        DeadLetter a = new DeadLetter("$: bad", "$", NOW, "http", "t", "d", new byte[] {1, 2});
        DeadLetter b = new DeadLetter("$: bad", "$", NOW, "http", "t", "d", new byte[] {1, 2});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).contains("rawPayload=2 bytes");
    }

    @Test
    void shouldRejectDeadLetterWhenReasonOrSourceIsBlank() {
        assertThatThrownBy(() -> new DeadLetter(" ", "$", NOW, "http", null, null, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("reason must not be blank");
        assertThatThrownBy(() -> new DeadLetter("$: bad", "$", NOW, null, null, null, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("source must not be blank");
        assertThatThrownBy(() -> new DeadLetter("$: bad", "$", NOW, "http", null, null, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldRejectEncodedDeadLetterWhenBase64IsBroken() {
        String json = "{\"reason\":\"r\",\"field\":\"$\",\"receivedAt\":1,\"source\":\"http\","
                + "\"rawPayload\":\"not base64!\",\"rawPayloadEncoding\":\"base64\"}";

        assertThatThrownBy(() -> codec.decodeDeadLetter(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessageStartingWith("rawPayload: not valid base64: ");
    }

    @Test
    void shouldRejectEncodedDeadLetterWhenEncodingIsUnknown() {
        String json = "{\"reason\":\"r\",\"field\":\"$\",\"receivedAt\":1,\"source\":\"http\","
                + "\"rawPayload\":\"x\",\"rawPayloadEncoding\":\"hex\"}";

        assertThatThrownBy(() -> codec.decodeDeadLetter(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("rawPayloadEncoding: expected \"utf-8\" or \"base64\", got \"hex\"");
    }

    @Test
    void shouldRejectEncodedDeadLetterWhenPayloadIsMissing() {
        String json = "{\"reason\":\"r\",\"field\":\"$\",\"receivedAt\":1,\"source\":\"http\"}";

        assertThatThrownBy(() -> codec.decodeDeadLetter(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("rawPayload: missing");
    }

    private TelemetryValidationException catchRejection(byte[] raw) {
        try {
            codec.decode(raw, NOW);
        } catch (TelemetryValidationException e) {
            return e;
        }
        throw new AssertionError("expected a rejection");
    }
}
