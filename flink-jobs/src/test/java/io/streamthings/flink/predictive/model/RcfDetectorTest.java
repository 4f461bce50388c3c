package io.streamthings.flink.predictive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RcfDetectorTest {

    @Test
    void shouldScoreASpikeInNoiseAboveTheThresholdAndOrdinaryReadingsBelowIt() {
        RcfDetector d = new RcfDetector(4, 30, 256, 2.5, 50, 42);
        Random r = new Random(1);
        int ordinaryAlarms = 0;
        for (int i = 0; i < 2000; i++) {
            double score = d.scoreAndLearn(r.nextGaussian());
            if (i >= 500 && d.anomalous(score)) {
                ordinaryAlarms++;
            }
        }
        double spike = d.scoreAndLearn(12.0);

        assertThat(d.anomalous(spike)).isTrue();
        assertThat(ordinaryAlarms).isLessThan(15); // under 1% of 1,500 ordinary readings
    }

    @Test
    void shouldRepeatItsScoresForTheSameSeed() {
        RcfDetector a = new RcfDetector(4, 10, 64, 2.5, 50, 7);
        RcfDetector b = new RcfDetector(4, 10, 64, 2.5, 50, 7);
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            double x = r.nextGaussian();
            assertThat(a.scoreAndLearn(x)).isEqualTo(b.scoreAndLearn(x));
        }
    }

    @Test
    void shouldClipHugeInputsSoTheyDoNotStretchLaterCuts() {
        RcfDetector clipped = new RcfDetector(1, 10, 64, 2.5, 5, 7);
        RcfDetector alsoClipped = new RcfDetector(1, 10, 64, 2.5, 5, 7);
        for (int i = 0; i < 200; i++) {
            double x = (i % 10) / 10.0;
            clipped.scoreAndLearn(i == 100 ? 1e12 : x);
            alsoClipped.scoreAndLearn(i == 100 ? 5 : x);
        }
        assertThat(clipped.scoreAndLearn(0.5)).isEqualTo(alsoClipped.scoreAndLearn(0.5));
    }

    @Test
    void shouldRefuseANonPositiveThreshold() {
        assertThatThrownBy(() -> new RcfDetector(4, 30, 256, 0, 50, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }
}
