package io.streamthings.common.telemetry;

import static io.streamthings.common.telemetry.TelemetryFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryCodecEncodeTest {

    private static final long NOW = TelemetryFixtures.RECEIVED_AT_MS;
    private static final long TS = 1_764_131_000_123L;

    private final TelemetryCodec codec = new TelemetryCodec();

    // ---- records

    @Test
    void shouldEncodeRecordAsCompactJsonInFieldOrder() {
        // Given
        TelemetryRecord record = new TelemetryRecord(TS, metrics("temperature", 21.5, "humidity", 40.2),
                Map.of("site", "plant-a"));

        // When
        String json = utf8(codec.encode(record));

        // Then
        assertThat(json).isEqualTo("{\"ts\":1764131000123,\"metrics\":{\"temperature\":21.5,\"humidity\":40.2},"
                + "\"tags\":{\"site\":\"plant-a\"}}");
    }

    @Test
    void shouldLeaveOutTagsWhenThereAreNone() {
        String json = utf8(codec.encode(TelemetryRecord.of(TS, metrics("a", 1))));

        assertThat(json).isEqualTo("{\"ts\":1764131000123,\"metrics\":{\"a\":1.0}}");
    }

    @Test
    void shouldWriteDoublesInShortestFormThatReadsBack() {
        // Given
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("negZero", -0.0);
        values.put("tiny", Double.MIN_VALUE);
        values.put("max", -Double.MAX_VALUE);
        values.put("tenth", 0.1);
        values.put("third", 1.0 / 3);
        TelemetryRecord record = TelemetryRecord.of(TS, values);

        // When
        String json = utf8(codec.encode(record));

        // Then
        assertThat(json).isEqualTo("{\"ts\":1764131000123,\"metrics\":{\"negZero\":-0.0,\"tiny\":4.9E-324,"
                + "\"max\":-1.7976931348623157E308,\"tenth\":0.1,\"third\":0.3333333333333333}}");
        assertThat(codec.decode(json, NOW)).isEqualTo(record);
    }

    @Test
    void shouldEscapeTagValuesAndKeepUnicode() {
        // Given
        TelemetryRecord record = new TelemetryRecord(TS, metrics("a", 1), Map.of("note", "say \"hi\"\n\tZürich 🌡"));

        // When
        String json = utf8(codec.encode(record));

        // Then
        assertThat(json).endsWith("\"tags\":{\"note\":\"say \\\"hi\\\"\\n\\tZürich 🌡\"}}");
        assertThat(codec.decode(json, NOW)).isEqualTo(record);
    }

    @Test
    void shouldThrowNullPointerExceptionWhenEncodingNull() {
        assertThatThrownBy(() -> codec.encode(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> codec.encodeBatch(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> codec.encodeStamped(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> codec.encodeDeadLetter(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldEncodeBatchAsCompactArray() {
        List<TelemetryRecord> records = List.of(TelemetryRecord.of(TS, metrics("a", 1)),
                TelemetryRecord.of(TS + 1, metrics("b", 2)));

        assertThat(utf8(codec.encodeBatch(records))).isEqualTo(
                "[{\"ts\":1764131000123,\"metrics\":{\"a\":1.0}},{\"ts\":1764131000124,\"metrics\":{\"b\":2.0}}]");
    }

    // ---- stamped records

    @Test
    void shouldEncodeStampedRecordFlatWithIdentityFirst() {
        // Given
        StampedTelemetry stamped = StampedTelemetry.stamp(new DeviceIdentity("acme", "thermostat", "t-17"),
                new TelemetryRecord(TS, metrics("temperature", 21.5), Map.of("site", "plant-a")), NOW);

        // When
        String json = utf8(codec.encodeStamped(stamped));

        // Then
        assertThat(json).isEqualTo("{\"tenant\":\"acme\",\"deviceType\":\"thermostat\",\"deviceId\":\"t-17\","
                + "\"receivedAt\":1764131000456,\"ts\":1764131000123,\"metrics\":{\"temperature\":21.5},"
                + "\"tags\":{\"site\":\"plant-a\"}}");
        assertThat(codec.decodeStamped(json)).isEqualTo(stamped);
        assertThat(codec.decodeStamped(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(stamped);
    }

    @Test
    void shouldSkipUnknownFieldsWhenDecodingStampedRecord() {
        // Given: a newer producer added fields this consumer does not know
        String json = "{\"schema\":2,\"tenant\":\"acme\",\"deviceType\":\"thermostat\",\"deviceId\":\"t-17\","
                + "\"receivedAt\":1764131000456,\"extra\":{\"a\":[1,{}]},\"ts\":1764131000123,\"metrics\":{\"t\":1}}";

        // When
        StampedTelemetry stamped = codec.decodeStamped(json);

        // Then
        assertThat(stamped.record()).isEqualTo(TelemetryRecord.of(TS, metrics("t", 1)));
        assertThat(stamped.key()).isEqualTo("acme/t-17");
    }

    @Test
    void shouldNotApplyLimitsWhenDecodingStampedRecord() {
        // Given: a ts from 1990 and 3 metrics, both beyond this consumer's limits
        TelemetryCodec strict = new TelemetryCodec(TelemetryLimits.DEFAULTS.withMaxMetricsPerRecord(2));
        String json = "{\"tenant\":\"acme\",\"deviceType\":\"thermostat\",\"deviceId\":\"t-17\","
                + "\"receivedAt\":1764131000456,\"ts\":631152000000,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}";

        // When
        StampedTelemetry stamped = strict.decodeStamped(json);

        // Then
        assertThat(stamped.record().ts()).isEqualTo(631_152_000_000L);
        assertThat(stamped.record().metrics()).hasSize(3);
    }

    @Test
    void shouldRejectStampedRecordWhenAFieldIsMissing() {
        String json = "{\"tenant\":\"acme\",\"deviceType\":\"thermostat\",\"receivedAt\":1764131000456,"
                + "\"ts\":1764131000123,\"metrics\":{\"t\":1}}";

        assertThatThrownBy(() -> codec.decodeStamped(json))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("deviceId: missing");
    }

    @Test
    void shouldRejectStampedRecordWhenTenantIsBlank() {
        String json = "{\"tenant\":\" \",\"deviceType\":\"thermostat\",\"deviceId\":\"t-17\",\"receivedAt\":1,"
                + "\"ts\":1,\"metrics\":{\"t\":1}}";

        assertThatThrownBy(() -> codec.decodeStamped(json))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("tenant: must not be blank");
    }

    @Test
    void shouldRejectStampedRecordWhenMetricIsNotANumber() {
        String json = "{\"tenant\":\"acme\",\"deviceType\":\"thermostat\",\"deviceId\":\"t-17\",\"receivedAt\":1,"
                + "\"ts\":1,\"metrics\":{\"t\":\"x\"}}";

        assertThatThrownBy(() -> codec.decodeStamped(json))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("metrics.t: expected a number, got \"x\"");
    }

    @Test
    void shouldRejectStampedRecordWhenJsonIsMalformed() {
        assertThatThrownBy(() -> codec.decodeStamped("{\"tenant\":"))
                .isInstanceOfSatisfying(TelemetryValidationException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
