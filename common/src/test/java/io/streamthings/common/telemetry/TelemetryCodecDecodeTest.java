package io.streamthings.common.telemetry;

import static io.streamthings.common.telemetry.TelemetryFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryCodecDecodeTest {

    private static final long NOW = TelemetryFixtures.RECEIVED_AT_MS;
    private static final long TS = 1_764_131_000_123L;

    private final TelemetryCodec codec = new TelemetryCodec();

    /** Found by TelemetryFuzzTest: Jackson guesses UTF-32 from leading zero bytes, and failed with an IOException. */
    @Test
    void shouldRefuseLeadingZeroBytesAsMalformedNotFailWithAnIoError() {
        byte[] json = new byte[32];
        System.arraycopy("[{\"metrics\":{\"a\":1}}]".getBytes(StandardCharsets.UTF_8), 0, json, 13, 19);

        assertThatThrownBy(() -> codec.decode(json, NOW)).isInstanceOfSatisfying(TelemetryValidationException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON));
        assertThat(codec.decodeBatch(json, NOW).rejected()).singleElement()
                .satisfies(r -> assertThat(r.message()).startsWith("$: malformed JSON: not valid text"));
        assertThatThrownBy(() -> codec.decodeStamped(json)).isInstanceOf(TelemetryValidationException.class);
    }

    // ---- accepted input

    @Test
    void shouldDecodeRecordWithTsMetricsAndTags() {
        // Given
        String json = "{\"ts\": 1764131000123, \"metrics\": {\"temperature\": 21.5, \"humidity\": 40.2}, "
                + "\"tags\": {\"site\": \"plant-a\"}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.ts()).isEqualTo(TS);
        assertThat(record.metrics()).containsExactly(Map.entry("temperature", 21.5), Map.entry("humidity", 40.2));
        assertThat(record.tags()).containsExactly(Map.entry("site", "plant-a"));
    }

    @Test
    void shouldUseReceiveTimeWhenTsIsAbsent() {
        // Given
        String json = "{\"metrics\": {\"temperature\": 21.5}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.ts()).isEqualTo(NOW);
    }

    @Test
    void shouldUseReceiveTimeWhenTsIsNull() {
        // Given
        String json = "{\"ts\": null, \"metrics\": {\"temperature\": 21.5}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.ts()).isEqualTo(NOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "2025-11-26T04:23:20.123Z      | 1764131000123",
        "2025-11-26T05:23:20.123+01:00 | 1764131000123",
        "2025-11-26T04:23:20Z          | 1764131000000",
        "2025-11-26T04:23:20.123456789Z| 1764131000123",
        "2025-11-25T23:23:20.1-05:00   | 1764131000100",
    })
    void shouldDecodeIsoTimestampWithZoneOffset(String iso, long expectedMs) {
        // Given
        String json = "{\"ts\": \"" + iso.strip() + "\", \"metrics\": {\"temperature\": 21.5}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.ts()).isEqualTo(expectedMs);
    }

    @Test
    void shouldDropFractionOfMillisecondWhenTsIsFractional() {
        // Given
        String json = "{\"ts\": 1764131000123.987, \"metrics\": {\"temperature\": 21.5}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.ts()).isEqualTo(TS);
    }

    @Test
    void shouldTreatNullOrAbsentTagsAsNoTags() {
        assertThat(codec.decode("{\"metrics\": {\"a\": 1}, \"tags\": null}", NOW).tags()).isEmpty();
        assertThat(codec.decode("{\"metrics\": {\"a\": 1}}", NOW).tags()).isEmpty();
        assertThat(codec.decode("{\"metrics\": {\"a\": 1}, \"tags\": {}}", NOW).tags()).isEmpty();
    }

    @Test
    void shouldKeepMetricsAndTagsInTheOrderSent() {
        // Given
        String json = "{\"metrics\": {\"z\": 1, \"a\": 2, \"m\": 3}, \"tags\": {\"y\": \"1\", \"b\": \"2\"}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.metrics().keySet()).containsExactly("z", "a", "m");
        assertThat(record.tags().keySet()).containsExactly("y", "b");
    }

    @Test
    void shouldReadIntegersAsDoublesAndKeepNegativeZero() {
        // Given
        String json = "{\"metrics\": {\"int\": 42, \"big\": 9007199254740993, \"negZero\": -0, \"negZeroF\": -0.0, "
                + "\"exp\": 1.5E-7, \"huge\": 123456789012345678901234567890}}";

        // When
        TelemetryRecord record = codec.decode(json, NOW);

        // Then
        assertThat(record.metrics().get("int")).isEqualTo(42.0);
        assertThat(record.metrics().get("big")).isEqualTo(9.007199254740992E15);
        assertThat(record.metrics().get("negZero")).isEqualTo(-0.0);
        assertThat(record.metrics().get("negZeroF")).isEqualTo(-0.0);
        assertThat(record.metrics().get("exp")).isEqualTo(1.5E-7);
        assertThat(record.metrics().get("huge")).isEqualTo(1.2345678901234568E29);
    }

    @Test
    void shouldDecodeTheSameFromBytesAndFromString() {
        // Given
        String json = "{\"ts\":1764131000123,\"metrics\":{\"t\":21.5},\"tags\":{\"site\":\"Zürich 🌡\"}}";

        // When
        TelemetryRecord fromString = codec.decode(json, NOW);
        TelemetryRecord fromBytes = codec.decode(json.getBytes(StandardCharsets.UTF_8), NOW);

        // Then
        assertThat(fromBytes).isEqualTo(fromString);
        assertThat(fromBytes.tags().get("site")).isEqualTo("Zürich 🌡");
    }

    @Test
    void shouldDecodeConcurrentlyWithOneSharedCodec() throws Exception {
        // Given
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<TelemetryRecord>> results = new ArrayList<>();

        // When
        try {
            for (int i = 0; i < 2_000; i++) {
                String json = "{\"ts\":" + (TS + i) + ",\"metrics\":{\"m" + (i % 50) + "\":" + i + "}}";
                results.add(pool.submit(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), NOW)));
            }

            // Then
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(TelemetryRecord.of(TS + i, metrics("m" + (i % 50), i)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- the payload as a whole

    @Test
    void shouldRejectRecordWhenJsonIsMalformed() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": 21.5,}}");

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON);
        assertThat(e.field()).isEqualTo("$");
        assertThat(e.getMessage()).startsWith("$: malformed JSON at line 1, column 34: ")
                .contains("was expecting double-quote to start field name")
                .doesNotContain("Source", "REDACTED");
    }

    @Test
    void shouldReportLineAndColumnWhenMalformedJsonSpansLines() {
        TelemetryValidationException e = rejection("{\n  \"metrics\": {\n    \"temperature\": 21.5\n  }\n  oops");

        assertThat(e.getMessage()).startsWith("$: malformed JSON at line 5, column 3: ");
    }

    @Test
    void shouldRejectRecordWhenPayloadIsNotValidUtf8() {
        byte[] json = {'{', '"', 'm', 'e', 't', 'r', 'i', 'c', 's', '"', ':', '{', '"', (byte) 0xff, '"', ':', '1', '}',
            '}'};

        TelemetryValidationException e = rejection(json);

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON);
        assertThat(e.getMessage()).startsWith("$: malformed JSON at line 1, column ")
                .endsWith(": Invalid UTF-8 start byte 0xff");
    }

    @Test
    void shouldRejectRecordWhenPayloadIsEmpty() {
        TelemetryValidationException e = rejection("  ");

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON);
        assertThat(e.getMessage()).isEqualTo("$: empty payload, expected a JSON object");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "[{\"metrics\": {\"a\": 1}}] | $: expected a JSON object, got [{\"metrics\": {\"a\": 1}}]",
        "42                         | $: expected a JSON object, got 42",
        "\"text\"                   | $: expected a JSON object, got \"text\"",
        "null                       | $: expected a JSON object, got null",
    })
    void shouldRejectRecordWhenPayloadIsNotAnObject(String json, String expected) {
        TelemetryValidationException e = rejection(json.strip());

        assertThat(e.field()).isEqualTo("$");
        assertThat(e.getMessage()).isEqualTo(expected.strip());
    }

    @Test
    void shouldRejectRecordWhenContentFollowsTheObject() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}} {\"metrics\": {\"a\": 2}}");

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON);
        assertThat(e.getMessage()).isEqualTo(
                "$: malformed JSON at line 1, column 23: unexpected content after the end of the JSON value");
    }

    @Test
    void shouldRejectRecordWhenPayloadIsTooLarge() {
        // Given
        TelemetryCodec small = new TelemetryCodec(TelemetryLimits.DEFAULTS.withMaxPayloadBytes(32));
        String json = "{\"metrics\": {\"temperature\": 21.5}}"; // 34 bytes

        // When
        TelemetryValidationException fromBytes = rejection(small, json.getBytes(StandardCharsets.UTF_8));
        TelemetryValidationException fromString = rejection(small, json);

        // Then
        assertThat(fromBytes.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(fromBytes.kind().httpStatus()).isEqualTo(413);
        assertThat(fromBytes.getMessage()).isEqualTo("$: payload is 34 bytes, more than the limit of 32 bytes");
        assertThat(fromString.getMessage()).isEqualTo(fromBytes.getMessage());
    }

    @Test
    void shouldCountUtf8BytesWhenStringPayloadIsNearTheLimit() {
        // Given: 38 chars but 41 bytes, the ü and the thermometer taking 2 and 4 bytes
        TelemetryCodec small = new TelemetryCodec(TelemetryLimits.DEFAULTS.withMaxPayloadBytes(40));
        String json = "{\"metrics\":{\"a\":1},\"tags\":{\"s\":\"ü🌡\"}}";

        // When
        TelemetryValidationException e = rejection(small, json);

        // Then
        assertThat(e.getMessage()).isEqualTo("$: payload is 41 bytes, more than the limit of 40 bytes");
    }

    @Test
    void shouldAcceptDefaultMaximumPayloadOfOneMebibyte() {
        // Given: padded with spaces to exactly 1 MiB
        String record = "{\"metrics\": {\"temperature\": 21.5}}";
        String json = record + " ".repeat(TelemetryLimits.DEFAULT_MAX_PAYLOAD_BYTES - record.length());

        // When / Then
        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8), NOW).metrics()).containsKey("temperature");
        assertThat(rejection(json + " ").kind()).isEqualTo(Kind.TOO_LARGE);
    }

    // ---- top-level fields

    @Test
    void shouldRejectRecordWhenTopLevelFieldIsUnknown() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"temperature\": 21.5}");

        assertThat(e.field()).isEqualTo("temperature");
        assertThat(e.getMessage()).isEqualTo("temperature: unknown field; a record has only ts, metrics and tags");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant", "deviceType", "deviceId", "receivedAt"})
    void shouldRejectRecordWhenPayloadTriesToSetTheIdentity(String field) {
        TelemetryValidationException e = rejection("{\"" + field + "\": \"x\", \"metrics\": {\"a\": 1}}");

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).isEqualTo(field + ": unknown field; the device identity and receive time come from "
                + "the device's credentials, never from the payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ts", "metrics", "tags"})
    void shouldRejectRecordWhenTopLevelFieldIsRepeated(String field) {
        String json = "{\"ts\": 1764131000123, \"metrics\": {\"a\": 1}, \"tags\": {\"s\": \"x\"}, \"" + field + "\": "
                + (field.equals("ts") ? "1764131000123" : "{}") + "}";

        TelemetryValidationException e = rejection(json);

        assertThat(e.getMessage()).isEqualTo(field + ": duplicate field");
    }

    // ---- metrics

    @Test
    void shouldRejectRecordWhenMetricsAreMissing() {
        TelemetryValidationException e = rejection("{\"ts\": 1764131000123, \"tags\": {\"site\": \"a\"}}");

        assertThat(e.field()).isEqualTo("metrics");
        assertThat(e.getMessage()).isEqualTo("metrics: missing; a record needs at least one metric");
    }

    @Test
    void shouldRejectRecordWhenMetricsAreEmpty() {
        TelemetryValidationException e = rejection("{\"metrics\": {}}");

        assertThat(e.getMessage()).isEqualTo("metrics: must contain at least one metric");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "null      | metrics: expected an object of metric names to numbers, got null",
        "[1, 2]    | metrics: expected an object of metric names to numbers, got [1, 2]",
        "21.5      | metrics: expected an object of metric names to numbers, got 21.5",
    })
    void shouldRejectRecordWhenMetricsIsNotAnObject(String value, String expected) {
        TelemetryValidationException e = rejection("{\"metrics\": " + value.strip() + "}");

        assertThat(e.getMessage()).isEqualTo(expected.strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"hot\"              | metrics.temperature: expected a number, got \"hot\"",
        "\"21.5\"             | metrics.temperature: expected a number, got \"21.5\"",
        "true                 | metrics.temperature: expected a number, got true",
        "null                 | metrics.temperature: expected a number, got null",
        "{\"c\": 21.5}        | metrics.temperature: expected a number, got {\"c\": 21.5}",
        "[21.5, 22]           | metrics.temperature: expected a number, got [21.5, 22]",
    })
    void shouldRejectRecordWhenMetricIsNotANumber(String value, String expected) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": " + value.strip() + "}}");

        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.field()).isEqualTo("metrics.temperature");
        assertThat(e.getMessage()).isEqualTo(expected.strip());
    }

    @Test
    void shouldCutLongValuesShortInTheMessage() {
        String longString = "x".repeat(10_000);

        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": \"" + longString + "\"}}");

        assertThat(e.getMessage()).isEqualTo("metrics.temperature: expected a number, got \"" + "x".repeat(64) + "…\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "+Infinity"})
    void shouldRejectRecordWhenMetricIsNaNOrInfinityToken(String token) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": " + token + "}}");

        assertThat(e.field()).isEqualTo("metrics.temperature");
        assertThat(e.getMessage()).isEqualTo("metrics.temperature: expected a finite number, got " + token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "inf", "-INF"})
    void shouldRejectRecordWhenMetricIsNaNOrInfinityString(String word) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": \"" + word + "\"}}");

        assertThat(e.getMessage()).isEqualTo("metrics.temperature: expected a finite number, got \"" + word + "\"");
    }

    static List<String> numbersBeyondDouble() {
        return List.of("1e400", "-1.7976931348623159E308", "1" + "0".repeat(310));
    }

    @ParameterizedTest
    @MethodSource("numbersBeyondDouble")
    void shouldRejectRecordWhenMetricOverflowsADouble(String number) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": " + number + "}}");

        assertThat(e.field()).isEqualTo("metrics.temperature");
        assertThat(e.getMessage()).startsWith("metrics.temperature: expected a finite number, got ")
                .endsWith(" (out of the range of a double)");
    }

    @Test
    void shouldRejectRecordWhenMetricNameIsEmpty() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"\": 1}}");

        assertThat(e.field()).isEqualTo("metrics");
        assertThat(e.getMessage()).isEqualTo("metrics: metric name must not be empty");
    }

    @Test
    void shouldRejectRecordWhenMetricNameIsTooLong() {
        String name = "m".repeat(129);

        TelemetryValidationException e = rejection("{\"metrics\": {\"" + name + "\": 1}}");

        assertThat(e.field()).isEqualTo("metrics." + "m".repeat(64) + "…");
        assertThat(e.getMessage()).endsWith(": metric name is 129 characters long, more than the limit of 128");
        assertThat(codec.decode("{\"metrics\": {\"" + "m".repeat(128) + "\": 1}}", NOW).metrics()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "temp erature | metrics.temp erature: metric name may contain only A-Z, a-z, 0-9, '_', '.' and '-', "
                + "found ' ' at index 4",
        "temp/1       | metrics.temp/1: metric name may contain only A-Z, a-z, 0-9, '_', '.' and '-', "
                + "found '/' at index 4",
        "température  | metrics.température: metric name may contain only A-Z, a-z, 0-9, '_', '.' and '-', "
                + "found 'é' at index 4",
        "a\\tb        | metrics.a\\tb: metric name may contain only A-Z, a-z, 0-9, '_', '.' and '-', "
                + "found U+0009 at index 1",
    })
    void shouldRejectRecordWhenMetricNameHasAForbiddenCharacter(String name, String expected) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"" + name.strip() + "\": 1}}");

        assertThat(e.getMessage()).isEqualTo(expected.strip());
    }

    @Test
    void shouldRejectRecordWhenMetricIsRepeated() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"temperature\": 1, \"temperature\": 2}}");

        assertThat(e.getMessage()).isEqualTo("metrics.temperature: duplicate metric");
    }

    @Test
    void shouldRejectRecordWhenThereAreTooManyMetrics() {
        // Given
        StringBuilder json = new StringBuilder("{\"metrics\": {");
        for (int i = 0; i <= TelemetryLimits.DEFAULT_MAX_METRICS_PER_RECORD; i++) {
            json.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        json.append("}}");

        // When
        TelemetryValidationException e = rejection(json.toString());

        // Then
        assertThat(e.field()).isEqualTo("metrics");
        assertThat(e.getMessage()).isEqualTo("metrics: more than 1000 metrics");
    }

    // ---- tags

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "42             | tags.site: expected a string, got 42",
        "true           | tags.site: expected a string, got true",
        "null           | tags.site: expected a string, got null",
        "{\"a\": \"b\"} | tags.site: expected a string, got {\"a\": \"b\"}",
    })
    void shouldRejectRecordWhenTagValueIsNotAString(String value, String expected) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"site\": " + value.strip()
                + "}}");

        assertThat(e.field()).isEqualTo("tags.site");
        assertThat(e.getMessage()).isEqualTo(expected.strip());
    }

    @Test
    void shouldRejectRecordWhenTagValueIsTooLong() {
        String ok = "🌡".repeat(256); // 256 characters, 512 UTF-16 units

        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"site\": \"x" + ok + "\"}}");

        assertThat(e.getMessage()).isEqualTo("tags.site: value is 257 characters long, more than the limit of 256");
        assertThat(codec.decode("{\"metrics\": {\"a\": 1}, \"tags\": {\"site\": \"" + ok + "\"}}", NOW).tags())
                .containsEntry("site", ok);
    }

    @Test
    void shouldRejectRecordWhenTagValueIsNotValidUnicode() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"site\": \"ab\\ud800\"}}");

        assertThat(e.getMessage()).isEqualTo("tags.site: value is not valid Unicode: unpaired surrogate at index 2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``         | tags: tag key must not be empty",
        "my site    | tags.my site: tag key may contain only A-Z, a-z, 0-9, '_', '.' and '-', found ' ' at index 2",
    })
    void shouldRejectRecordWhenTagKeyBreaksTheNameRules(String key, String expected) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"" + key + "\": \"x\"}}");

        assertThat(e.getMessage()).isEqualTo(expected);
    }

    @Test
    void shouldRejectRecordWhenTagKeyIsTooLong() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"" + "k".repeat(129)
                + "\": \"x\"}}");

        assertThat(e.field()).startsWith("tags.kkk");
        assertThat(e.getMessage()).endsWith(": tag key is 129 characters long, more than the limit of 128");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant", "deviceType", "deviceId"})
    void shouldRejectRecordWhenTagKeyPosesAsTheIdentity(String key) {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"" + key + "\": \"x\"}}");

        assertThat(e.field()).isEqualTo("tags." + key);
        assertThat(e.getMessage()).isEqualTo("tags." + key
                + ": reserved tag key: tenant, deviceType and deviceId come from the device's credentials");
    }

    @Test
    void shouldRejectRecordWhenTagIsRepeated() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": {\"s\": \"x\", \"s\": \"y\"}}");

        assertThat(e.getMessage()).isEqualTo("tags.s: duplicate tag");
    }

    @Test
    void shouldRejectRecordWhenThereAreTooManyTags() {
        // Given
        StringBuilder json = new StringBuilder("{\"metrics\": {\"a\": 1}, \"tags\": {");
        for (int i = 0; i <= TelemetryLimits.DEFAULT_MAX_TAGS_PER_RECORD; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"v\"");
        }
        json.append("}}");

        // When
        TelemetryValidationException e = rejection(json.toString());

        // Then
        assertThat(e.field()).isEqualTo("tags");
        assertThat(e.getMessage()).isEqualTo("tags: more than 64 tags");
    }

    @Test
    void shouldRejectRecordWhenTagsIsNotAnObject() {
        TelemetryValidationException e = rejection("{\"metrics\": {\"a\": 1}, \"tags\": [\"a\", \"b\"]}");

        assertThat(e.getMessage()).isEqualTo("tags: expected an object of tag keys to strings, got [\"a\", \"b\"]");
    }

    // ---- ts

    @Test
    void shouldRejectRecordWhenTimestampIsTooFarInTheFuture() {
        long tooLate = NOW + TelemetryLimits.DEFAULT_MAX_FUTURE_SKEW_MS + 1;

        TelemetryValidationException e = rejection("{\"ts\": " + tooLate + ", \"metrics\": {\"a\": 1}}");

        assertThat(e.field()).isEqualTo("ts");
        assertThat(e.getMessage()).isEqualTo("ts: 1764131300457 (2025-11-26T04:28:20.457Z) is more than 300000 ms "
                + "after the receive time 2025-11-26T04:23:20.456Z; is the device clock right?");
    }

    @Test
    void shouldAcceptRecordWhenTimestampIsAheadWithinTheSkew() {
        long latest = NOW + TelemetryLimits.DEFAULT_MAX_FUTURE_SKEW_MS;

        assertThat(codec.decode("{\"ts\": " + latest + ", \"metrics\": {\"a\": 1}}", NOW).ts()).isEqualTo(latest);
    }

    @Test
    void shouldApplyConfiguredSkewToIsoTimestamps() {
        // Given
        TelemetryCodec strict = new TelemetryCodec(TelemetryLimits.DEFAULTS.withMaxFutureSkewMs(0));

        // When
        TelemetryValidationException e =
                rejection(strict, "{\"ts\": \"2025-11-26T04:23:20.457Z\", \"metrics\": {\"a\": 1}}");

        // Then
        assertThat(e.getMessage()).startsWith("ts: 1764131000457 (2025-11-26T04:23:20.457Z) is more than 0 ms after");
    }

    @Test
    void shouldRejectRecordWhenTimestampIsBeforeTheFloor() {
        TelemetryValidationException e = rejection("{\"ts\": \"1999-12-31T23:59:59.999Z\", \"metrics\": {\"a\": 1}}");

        assertThat(e.field()).isEqualTo("ts");
        assertThat(e.getMessage()).isEqualTo("ts: 946684799999 (1999-12-31T23:59:59.999Z) is before the earliest time "
                + "accepted, 2000-01-01T00:00:00Z");
        assertThat(codec.decode("{\"ts\": \"2000-01-01T00:00:00Z\", \"metrics\": {\"a\": 1}}", NOW).ts())
                .isEqualTo(TelemetryLimits.DEFAULT_MIN_TIMESTAMP_MS);
    }

    @Test
    void shouldRejectRecordWhenTimestampIsNegative() {
        TelemetryValidationException e = rejection("{\"ts\": -1, \"metrics\": {\"a\": 1}}");

        assertThat(e.getMessage()).isEqualTo("ts: -1 (1969-12-31T23:59:59.999Z) is before the earliest time accepted, "
                + "2000-01-01T00:00:00Z");
    }

    @Test
    void shouldHintAtSecondsWhenTimestampLooksLikeEpochSeconds() {
        TelemetryValidationException e = rejection("{\"ts\": 1764131000, \"metrics\": {\"a\": 1}}");

        assertThat(e.getMessage()).endsWith("; ts is in epoch milliseconds, and this looks like seconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2025-13-01T00:00:00Z", "2025-11-26 04:23:20Z", "1764131000123", ""})
    void shouldRejectRecordWhenIsoTimestampIsUnparseable(String text) {
        TelemetryValidationException e = rejection("{\"ts\": \"" + text + "\", \"metrics\": {\"a\": 1}}");

        assertThat(e.field()).isEqualTo("ts");
        assertThat(e.getMessage()).isEqualTo("ts: expected epoch milliseconds or an ISO-8601 time such as "
                + "2026-11-26T05:00:00Z, got \"" + text + "\"");
    }

    @Test
    void shouldRejectRecordWhenIsoTimestampHasNoZoneOffset() {
        TelemetryValidationException e = rejection("{\"ts\": \"2025-11-26T04:23:20\", \"metrics\": {\"a\": 1}}");

        assertThat(e.getMessage())
                .isEqualTo("ts: ISO-8601 time needs a zone offset such as Z or +01:00, got \"2025-11-26T04:23:20\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "true                       | ts: expected epoch milliseconds or an ISO-8601 string, got true",
        "{\"ms\": 1}                | ts: expected epoch milliseconds or an ISO-8601 string, got {\"ms\": 1}",
        "NaN                        | ts: expected epoch milliseconds, got NaN",
        "99999999999999999999       | ts: expected epoch milliseconds, got 99999999999999999999 (out of range)",
        "1e300                      | ts: expected epoch milliseconds, got 1e300 (out of range)",
    })
    void shouldRejectRecordWhenTimestampIsNotATime(String value, String expected) {
        TelemetryValidationException e = rejection("{\"ts\": " + value.strip() + ", \"metrics\": {\"a\": 1}}");

        assertThat(e.field()).isEqualTo("ts");
        assertThat(e.getMessage()).isEqualTo(expected.strip());
    }

    // ---- null input

    @Test
    void shouldThrowNullPointerExceptionWhenPayloadIsNull() {
        assertThatThrownBy(() -> codec.decode((byte[]) null, NOW)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> codec.decode((String) null, NOW)).isInstanceOf(NullPointerException.class);
    }

    // ---- helpers

    private TelemetryValidationException rejection(String json) {
        TelemetryValidationException fromString = rejection(codec, json);
        TelemetryValidationException fromBytes = rejection(codec, json.getBytes(StandardCharsets.UTF_8));
        // The String and byte[] paths share the rules; only a column could differ, and only past non-ASCII text.
        assertThat(fromString.getMessage()).isEqualTo(fromBytes.getMessage());
        return fromBytes;
    }

    private TelemetryValidationException rejection(byte[] json) {
        return rejection(codec, json);
    }

    private static TelemetryValidationException rejection(TelemetryCodec codec, String json) {
        try {
            TelemetryRecord record = codec.decode(json, NOW);
            return fail("expected a rejection of %s, got %s", json, record);
        } catch (TelemetryValidationException e) {
            assertThat(e.getMessage()).isEqualTo(e.field() + ": " + e.detail());
            return e;
        }
    }

    private static TelemetryValidationException rejection(TelemetryCodec codec, byte[] json) {
        try {
            TelemetryRecord record = codec.decode(json, NOW);
            return fail("expected a rejection of %s, got %s", new String(json, StandardCharsets.UTF_8), record);
        } catch (TelemetryValidationException e) {
            assertThat(e.getMessage()).isEqualTo(e.field() + ": " + e.detail());
            return e;
        }
    }
}
