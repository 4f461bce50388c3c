package io.streamthings.rules.compile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.sandbox.DryRunDeadlineException;
import io.streamthings.rules.sandbox.RuleSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the rule compiler and policy, and the sandbox behind a dry run, as the rule API uses them: whatever the app
 * text, it is accepted or refused with a {@link RuleRejectedException} (a 400 with a reason), and an accepted app runs
 * on a few samples within the dry run's deadline or is stopped by it (a 422). Any other exception, or a hang, is a
 * finding.
 *
 * <p>In a normal build this runs the seeds in {@code RuleCompilerFuzzTestInputs/} (seconds); {@code JAZZER_FUZZ=1}
 * fuzzes for {@code maxDuration} (see benchmarks/README.md).
 */
class RuleCompilerFuzzTest {

    private static final RuleCompiler COMPILER = new RuleCompiler();
    private static final RuleSandbox SANDBOX = new RuleSandbox(COMPILER, Duration.ofSeconds(5));
    private static final List<StampedTelemetry> SAMPLES = List.of(
            sample("d1", 1_000L, 95.0, "s1"), sample("d2", 2_000L, 20.0, "s1"), sample("d1", 70_000L, 99.0, "s2"));

    @FuzzTest(maxDuration = "2m")
    void compileAndDryRun(byte[] text) {
        String app = new String(text, StandardCharsets.UTF_8);
        try {
            COMPILER.compile(app);
        } catch (RuleRejectedException refused) {
            return;
        }
        try {
            SANDBOX.dryRun(app, "acme", SAMPLES);
        } catch (DryRunDeadlineException stopped) {
            // a clear refusal
        }
    }

    private static StampedTelemetry sample(String deviceId, long ts, double temperature, String site) {
        return new StampedTelemetry("acme", "thermo", deviceId, ts,
                new TelemetryRecord(ts, Map.of("temperature", temperature, "humidity", 40.0), Map.of("site", site)));
    }
}
