package io.streamthings.common.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden telemetry fixtures under {@code fixtures/telemetry/} on the test classpath, and the values they hold.
 * Shipped in common's test-jar, so that every module that reads or writes telemetry (ingest, Flink jobs, Siddhi apps,
 * dashboards, edge) round-trips the same files.
 *
 * <p>Decode the device-side fixtures with {@link #RECEIVED_AT_MS} as the receive time: {@code single-no-ts.json}
 * takes it as its {@code ts}, and the time checks are relative to it.
 */
public final class TelemetryFixtures {

    /** The classpath folder of the fixtures. */
    public static final String FOLDER = "/fixtures/telemetry/";

    /** The receive time the fixtures are meant to be decoded with: 2025-11-26T04:23:20.456Z. */
    public static final long RECEIVED_AT_MS = 1_764_131_000_456L;

    /** One record, pretty-printed: {@link #singleRecord()}. */
    public static final String SINGLE = "single.json";

    /** {@link #singleRecord()} with its {@code ts} as an ISO-8601 string with a +01:00 offset. */
    public static final String SINGLE_ISO_TS = "single-iso-ts.json";

    /** One record without {@code ts}: it takes {@link #RECEIVED_AT_MS}. */
    public static final String SINGLE_NO_TS = "single-no-ts.json";

    /** A batch of three good records: {@link #batchRecords()}. */
    public static final String BATCH = "batch.json";

    /** A batch of four: good, not a number (index 1), good, identity field in the payload (index 3). */
    public static final String BATCH_MIXED = "batch-mixed.json";

    /** {@link #stamped()} exactly as {@link TelemetryCodec#encodeStamped} writes it (plus a final newline). */
    public static final String STAMPED = "stamped.json";

    /** {@link #deadLetter()} exactly as {@link TelemetryCodec#encodeDeadLetter} writes it (plus a final newline). */
    public static final String DEAD_LETTER = "dead-letter.json";

    /** The fixtures of bad device input, each with the message the codec must give. */
    public enum Bad {
        /** A metric that is a string. */
        METRIC_NOT_A_NUMBER("bad-metric-not-a-number.json", "metrics.temperature: expected a number, got \"hot\""),
        /** A bare NaN token. */
        METRIC_NAN("bad-metric-nan.json", "metrics.temperature: expected a finite number, got NaN"),
        /** A trailing comma. */
        MALFORMED("bad-malformed.json", "$: malformed JSON at line 2, column 34: Unexpected character "
                + "('}' (code 125)): was expecting double-quote to start field name"),
        /** The payload tries to set the tenant. */
        IDENTITY_FIELD("bad-identity-field.json", "tenant: unknown field; the device identity and receive time come "
                + "from the device's credentials, never from the payload"),
        /** Epoch seconds where milliseconds are expected. */
        TS_IN_SECONDS("bad-ts-in-seconds.json", "ts: 1764131000 (1970-01-21T10:02:11Z) is before the earliest time "
                + "accepted, 2000-01-01T00:00:00Z; ts is in epoch milliseconds, and this looks like seconds"),
        /** No metrics at all. */
        NO_METRICS("bad-no-metrics.json", "metrics: missing; a record needs at least one metric");

        private final String fileName;
        private final String expectedMessage;

        Bad(String fileName, String expectedMessage) {
            this.fileName = fileName;
            this.expectedMessage = expectedMessage;
        }

        /** The file name under {@link #FOLDER}. */
        public String fileName() {
            return fileName;
        }

        /** The exact message {@link TelemetryCodec} gives for this input with the default limits. */
        public String expectedMessage() {
            return expectedMessage;
        }

        /** The field the message names: what comes before the first {@code ": "}. */
        public String expectedField() {
            return expectedMessage.substring(0, expectedMessage.indexOf(": "));
        }

        /** The file's bytes. */
        public byte[] bytes() {
            return TelemetryFixtures.bytes(fileName);
        }
    }

    private TelemetryFixtures() {}

    /**
     * The bytes of a fixture.
     *
     * @param name a file name under {@link #FOLDER}, e.g. {@link #SINGLE}
     * @throws IllegalArgumentException when there is no such fixture
     */
    public static byte[] bytes(String name) {
        try (InputStream in = TelemetryFixtures.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no telemetry fixture " + FOLDER + name + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a fixture, UTF-8; as {@link #bytes(String)}. */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** The device whose data the fixtures hold. */
    public static DeviceIdentity identity() {
        return new DeviceIdentity("acme", "thermostat", "t-17");
    }

    /** The record in {@link #SINGLE} and {@link #SINGLE_ISO_TS}. */
    public static TelemetryRecord singleRecord() {
        return new TelemetryRecord(1_764_131_000_123L, metrics("temperature", 21.5, "humidity", 40.2),
                Map.of("site", "plant-a"));
    }

    /** The records in {@link #BATCH}, in order. */
    public static List<TelemetryRecord> batchRecords() {
        return List.of(
                singleRecord(),
                new TelemetryRecord(1_764_131_001_000L, metrics("temperature", 21.6, "humidity", 40.1),
                        Map.of("site", "plant-a")),
                TelemetryRecord.of(1_764_131_002_000L, metrics("temperature", -3.0, "battery.volts", 3.3)));
    }

    /** The stamped record in {@link #STAMPED}: {@link #singleRecord()} from {@link #identity()}. */
    public static StampedTelemetry stamped() {
        return StampedTelemetry.stamp(identity(), singleRecord(), RECEIVED_AT_MS);
    }

    /** The dead letter in {@link #DEAD_LETTER}. */
    public static DeadLetter deadLetter() {
        return new DeadLetter("metrics.temperature: expected a number, got \"hot\"", "metrics.temperature",
                RECEIVED_AT_MS, "mqtt", "acme", "t-17",
                "{\"metrics\": {\"temperature\": \"hot\"}}".getBytes(StandardCharsets.UTF_8));
    }

    /** An ordered metrics map from name, value pairs. */
    public static Map<String, Double> metrics(Object... nameValuePairs) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            metrics.put((String) nameValuePairs[i], ((Number) nameValuePairs[i + 1]).doubleValue());
        }
        return metrics;
    }
}
