package io.streamthings.common.telemetry;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the telemetry JSON reader through every decoder of the codec: whatever the bytes, a decoder returns or
 * refuses with a {@link TelemetryValidationException} (a clear reason, which ingest turns into a dead letter), and
 * what it returns encodes again. Any other exception, or a hang, is a finding.
 *
 * <p>In a normal build this runs the seeds in {@code TelemetryFuzzTestInputs/} (seconds); {@code JAZZER_FUZZ=1}
 * fuzzes for {@code maxDuration} (see benchmarks/README.md).
 */
class TelemetryFuzzTest {

    private static final TelemetryCodec CODEC = new TelemetryCodec();
    private static final long NOW = 1_764_131_000_000L;

    @FuzzTest(maxDuration = "2m")
    void decodeAnyJson(byte[] json) {
        try {
            CODEC.encode(CODEC.decode(json, NOW));
        } catch (TelemetryValidationException refused) {
            // a clear refusal
        }
        try {
            BatchDecodeResult batch = CODEC.decodeBatch(json, NOW);
            CODEC.encodeBatch(batch.records());
        } catch (TelemetryValidationException refused) {
            // a clear refusal
        }
        try {
            CODEC.encodeStamped(CODEC.decodeStamped(json));
        } catch (TelemetryValidationException refused) {
            // a clear refusal
        }
        try {
            CODEC.encodeDeadLetter(CODEC.decodeDeadLetter(json));
        } catch (TelemetryValidationException refused) {
            // a clear refusal
        }
    }
}
