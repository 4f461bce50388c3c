package io.streamthings.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void shouldGiveTheBucketUpperEdgeOfTheQuantile() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int ms = 1; ms <= 100; ms++) {
            recorder.record(TimeUnit.MILLISECONDS.toNanos(ms) - 1);
        }
        long[] all = recorder.snapshot();

        assertThat(LatencyRecorder.quantileMs(all, null, 0.5)).isEqualTo(50.0);
        assertThat(LatencyRecorder.quantileMs(all, null, 0.99)).isEqualTo(99.0);
        assertThat(LatencyRecorder.quantileMs(all, null, 1.0)).isEqualTo(100.0);
    }

    @Test
    void shouldMeasureOnlyTheIntervalSinceAnEarlierSnapshot() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(TimeUnit.SECONDS.toNanos(5));
        long[] before = recorder.snapshot();
        recorder.record(TimeUnit.MICROSECONDS.toNanos(250));

        assertThat(LatencyRecorder.quantileMs(recorder.snapshot(), before, 0.99)).isEqualTo(0.3);
    }

    @Test
    void shouldAnswerNaNForAnIntervalWithoutSamplesAndCapTheLongest() {
        LatencyRecorder recorder = new LatencyRecorder();
        long[] empty = recorder.snapshot();
        recorder.record(TimeUnit.MINUTES.toNanos(5));

        assertThat(LatencyRecorder.quantileMs(empty, null, 0.5)).isNaN();
        assertThat(LatencyRecorder.quantileMs(recorder.snapshot(), null, 0.5)).isEqualTo(30_000.1);
    }

    @Test
    void shouldNameADeviceWithItsTenantOnlyWhenOneIsGiven() {
        assertThat(DeviceNames.login("boiler-1", null)).isEqualTo("boiler-1");
        assertThat(DeviceNames.login("boiler-1", "acme")).isEqualTo("boiler-1@acme");
    }
}
