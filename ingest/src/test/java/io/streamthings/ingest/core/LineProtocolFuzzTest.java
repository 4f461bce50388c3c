package io.streamthings.ingest.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamthings.common.telemetry.BatchDecodeResult;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.TelemetryCodec;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the line-protocol parser the way HTTP ingest uses it: whatever the body, every line is parsed or refused
 * with a reason, and every refusal becomes a dead letter. Any exception, or a hang, is a finding.
 *
 * <p>In a normal build this runs the seeds in {@code LineProtocolFuzzTestInputs/} (seconds); {@code JAZZER_FUZZ=1}
 * fuzzes for {@code maxDuration} (see benchmarks/README.md).
 */
class LineProtocolFuzzTest {

    private static final DeviceIdentity DEVICE = new DeviceIdentity("acme", "thermo", "d-1");
    // decodeLines uses the codec only: no sink, tracker or metrics are reached
    private static final IngestPipeline PIPELINE = new IngestPipeline(new TelemetryCodec(), null, null, null,
            () -> 1_764_131_000_000L);

    @FuzzTest(maxDuration = "2m")
    void parseAndDecode(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (LineProtocol.Precision precision : LineProtocol.Precision.values()) {
            for (LineProtocol.Line line : LineProtocol.parse(text, precision)) {
                if ((line.point() == null) == (line.error() == null)) {
                    throw new AssertionError("a line is either a point or an error: " + line);
                }
            }
            Batch batch = PIPELINE.decodeLines(DEVICE, body, precision, 1_764_131_000_000L);
            for (BatchDecodeResult.Rejection r : batch.rejected()) {
                byte[] raw = r.rawJson() == null ? body : r.rawJson().getBytes(StandardCharsets.UTF_8);
                new DeadLetter(r.message(), r.field(), 1L, "http", DEVICE.tenant(), DEVICE.deviceId(), raw);
            }
        }
    }
}
