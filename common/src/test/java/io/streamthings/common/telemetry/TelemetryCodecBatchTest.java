package io.streamthings.common.telemetry;

import static io.streamthings.common.telemetry.TelemetryFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamthings.common.telemetry.BatchDecodeResult.Rejection;
import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryCodecBatchTest {

    private static final long NOW = TelemetryFixtures.RECEIVED_AT_MS;
    private static final long TS = 1_764_131_000_123L;

    private final TelemetryCodec codec = new TelemetryCodec();

    @Test
    void shouldAcceptGoodRecordsAndRejectBadOnesWhenBatchIsMixed() {
        // Given
        String json = """
                [
                  {"ts": 1764131000123, "metrics": {"temperature": 21.5}},
                  {"ts": 1764131000223, "metrics": {"temperature": "hot"}},
                  {"ts": 1764131000323, "metrics": {"temperature": 21.7}, "tags": {"site": "plant-a"}},
                  42,
                  {"ts": 1764131000423, "metrics": {"temperature": {"c": [21.8, {"deep": true}]}}, "tags": {"a": "b"}},
                  {"metrics": {"humidity": 40}}
                ]
                """;

        // When
        BatchDecodeResult result = decodeBoth(json);

        // Then
        assertThat(result.bodyRejected()).isFalse();
        assertThat(result.accepted()).extracting(BatchDecodeResult.Accepted::index).containsExactly(0, 2, 5);
        assertThat(result.records()).containsExactly(
                TelemetryRecord.of(TS, metrics("temperature", 21.5)),
                new TelemetryRecord(TS + 200, metrics("temperature", 21.7), Map.of("site", "plant-a")),
                TelemetryRecord.of(NOW, metrics("humidity", 40)));
        assertThat(result.rejected())
                .extracting(Rejection::index, Rejection::kind, Rejection::field, Rejection::message, Rejection::rawJson)
                .containsExactly(
                        tuple(1, Kind.INVALID, "metrics.temperature",
                                "metrics.temperature: expected a number, got \"hot\"",
                                "{\"ts\": 1764131000223, \"metrics\": {\"temperature\": \"hot\"}}"),
                        tuple(3, Kind.INVALID, "$", "$: expected a JSON object, got 42", "42"),
                        tuple(4, Kind.INVALID, "metrics.temperature",
                                "metrics.temperature: expected a number, got {\"c\": [21.8, {\"deep\": true}]}",
                                "{\"ts\": 1764131000423, \"metrics\": {\"temperature\": {\"c\": [21.8, {\"deep\": "
                                        + "true}]}}, \"tags\": {\"a\": \"b\"}}"));
    }

    @Test
    void shouldKeepRawJsonOfRejectedRecordWhenItHoldsNonAsciiText() {
        // Given
        String json = "[{\"metrics\":{\"a\":1},\"tags\":{\"site\":\"Zürich\"},\"x\":1},{\"metrics\":{\"b\":2}}]";

        // When
        BatchDecodeResult result = decodeBoth(json);

        // Then
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.message()).isEqualTo("x: unknown field; a record has only ts, metrics and tags");
            assertThat(r.rawJson()).isEqualTo("{\"metrics\":{\"a\":1},\"tags\":{\"site\":\"Zürich\"},\"x\":1}");
        });
        assertThat(result.accepted()).extracting(BatchDecodeResult.Accepted::index).containsExactly(1);
    }

    @Test
    void shouldRejectRecordWhenBatchElementIsAStringOrArray() {
        BatchDecodeResult result = decodeBoth("[\"a, b\" , [1, [2]], null, {\"metrics\": {\"a\": 1}}]");

        assertThat(result.rejected()).extracting(Rejection::index, Rejection::message, Rejection::rawJson)
                .containsExactly(
                        tuple(0, "$: expected a JSON object, got \"a, b\"", "\"a, b\""),
                        tuple(1, "$: expected a JSON object, got [1, [2]]", "[1, [2]]"),
                        tuple(2, "$: expected a JSON object, got null", "null"));
        assertThat(result.records()).hasSize(1);
    }

    @Test
    void shouldReturnListOfOneWhenBodyIsASingleObject() {
        BatchDecodeResult result = decodeBoth("{\"ts\": 1764131000123, \"metrics\": {\"a\": 1}}");

        assertThat(result.accepted()).singleElement().satisfies(a -> {
            assertThat(a.index()).isZero();
            assertThat(a.record()).isEqualTo(TelemetryRecord.of(TS, metrics("a", 1)));
        });
        assertThat(result.rejected()).isEmpty();
    }

    @Test
    void shouldRejectAtIndexZeroWhenBodyIsASingleBadObject() {
        BatchDecodeResult result = decodeBoth("  {\"metrics\": {\"a\": true}}\n");

        assertThat(result.bodyRejected()).isFalse();
        assertThat(result.rejected()).extracting(Rejection::index, Rejection::message, Rejection::rawJson)
                .containsExactly(tuple(0, "metrics.a: expected a number, got true", "{\"metrics\": {\"a\": true}}"));
    }

    @Test
    void shouldAcceptNothingWhenBatchIsEmpty() {
        BatchDecodeResult result = decodeBoth("[]");

        assertThat(result.accepted()).isEmpty();
        assertThat(result.rejected()).isEmpty();
    }

    @Test
    void shouldRejectWholeBodyWhenJsonIsMalformed() {
        // Given: the first record is fine, the second breaks the syntax
        String json = "[{\"metrics\": {\"a\": 1}},\n {\"metrics\": {\"a\": 1]}]";

        // When
        BatchDecodeResult result = decodeBoth(json);

        // Then
        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.accepted()).isEmpty();
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isEqualTo(-1);
            assertThat(r.kind()).isEqualTo(Kind.MALFORMED_JSON);
            assertThat(r.field()).isEqualTo("$");
            assertThat(r.message()).startsWith("$: malformed JSON at line 2, column 21: Unexpected close marker ']'");
            assertThat(r.rawJson()).isNull();
        });
    }

    @Test
    void shouldRejectWholeBodyWhenJsonIsCutShort() {
        // Jackson words this differently for bytes and Strings, so only the bytes are checked.
        byte[] json = "[{\"metrics\": {\"a\": 1}}, {\"metrics\": {\"a\": \"x".getBytes(StandardCharsets.UTF_8);
        BatchDecodeResult result = codec.decodeBatch(json, NOW);

        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.rejected().get(0).message()).startsWith("$: malformed JSON at line 1, column ");
    }

    @Test
    void shouldRejectWholeBodyWhenMalformedJsonFollowsARejectedRecord() {
        BatchDecodeResult result = decodeBoth("[{\"metrics\": {\"a\": \"x\", oops}}, {\"metrics\": {\"a\": 1}}]");

        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.rejected().get(0).kind()).isEqualTo(Kind.MALFORMED_JSON);
    }

    @Test
    void shouldRejectWholeBodyWhenItIsNeitherObjectNorArray() {
        BatchDecodeResult result = decodeBoth("\"telemetry\"");

        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.rejected().get(0).message())
                .isEqualTo("$: expected a JSON object or an array of objects, got \"telemetry\"");
    }

    @Test
    void shouldRejectWholeBodyWhenItIsEmpty() {
        BatchDecodeResult result = decodeBoth("");

        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.rejected().get(0).message())
                .isEqualTo("$: empty payload, expected a JSON object or an array of objects");
    }

    @Test
    void shouldRejectWholeBodyWhenContentFollowsTheArray() {
        BatchDecodeResult result = decodeBoth("[{\"metrics\": {\"a\": 1}}] [{\"metrics\": {\"a\": 1}}]");

        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.rejected().get(0).message()).contains("unexpected content after the end of the JSON value");
    }

    @Test
    void shouldRejectWholeBodyWhenBatchHasTooManyRecords() {
        // Given
        TelemetryCodec small = new TelemetryCodec(TelemetryLimits.DEFAULTS.withMaxBatchRecords(3));
        String three = "[{\"metrics\":{\"a\":1}},{\"metrics\":{\"a\":2}},{\"metrics\":{\"a\":3}}]";
        String four = three.replace("]", ",{\"metrics\":{\"a\":4}}]");

        // When
        BatchDecodeResult ok = small.decodeBatch(three, NOW);
        BatchDecodeResult tooMany = small.decodeBatch(four.getBytes(StandardCharsets.UTF_8), NOW);

        // Then
        assertThat(ok.records()).hasSize(3);
        assertThat(tooMany.bodyRejected()).isTrue();
        assertThat(tooMany.rejected().get(0).kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(tooMany.rejected().get(0).message()).isEqualTo("$: batch has more than 3 records");
    }

    @Test
    void shouldAcceptDefaultMaximumOfTenThousandRecords() {
        // Given
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < TelemetryLimits.DEFAULT_MAX_BATCH_RECORDS; i++) {
            json.append(i == 0 ? "" : ",").append("{\"metrics\":{\"a\":").append(i).append("}}");
        }

        // When
        BatchDecodeResult ok = codec.decodeBatch(json + "]", NOW);
        BatchDecodeResult tooMany = codec.decodeBatch(json + ",{\"metrics\":{\"a\":1}}]", NOW);

        // Then
        assertThat(ok.records()).hasSize(10_000);
        assertThat(tooMany.rejected().get(0).message()).isEqualTo("$: batch has more than 10000 records");
    }

    @Test
    void shouldRejectWholeBodyWhenPayloadIsTooLarge() {
        TelemetryCodec small = new TelemetryCodec(TelemetryLimits.DEFAULTS.withMaxPayloadBytes(10));

        BatchDecodeResult result = small.decodeBatch("[{\"metrics\":{\"a\":1}}]".getBytes(StandardCharsets.UTF_8), NOW);

        assertThat(result.bodyRejected()).isTrue();
        assertThat(result.rejected().get(0).kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(result.rejected().get(0).message())
                .isEqualTo("$: payload is 21 bytes, more than the limit of 10 bytes");
    }

    @Test
    void shouldRoundTripWhenBatchIsEncodedAndDecoded() {
        // Given
        List<TelemetryRecord> records = TelemetryFixtures.batchRecords();

        // When
        byte[] json = codec.encodeBatch(records);
        BatchDecodeResult result = codec.decodeBatch(json, NOW);

        // Then
        assertThat(result.records()).isEqualTo(records);
        assertThat(codec.encodeBatch(List.of())).asString(StandardCharsets.UTF_8).isEqualTo("[]");
    }

    /** Decodes from bytes and from a String, checks both agree, and returns one. */
    private BatchDecodeResult decodeBoth(String json) {
        BatchDecodeResult fromBytes = codec.decodeBatch(json.getBytes(StandardCharsets.UTF_8), NOW);
        BatchDecodeResult fromString = codec.decodeBatch(json, NOW);
        assertThat(fromString).isEqualTo(fromBytes);
        return fromBytes;
    }
}
