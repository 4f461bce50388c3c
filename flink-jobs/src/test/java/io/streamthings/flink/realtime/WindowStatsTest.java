package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowStatsTest {

    @Test
    void shouldComputeCountMinMaxSumMeanAndLastByEventTime() {
        // Given readings out of event-time order
        WindowStats s = new WindowStats()
                .add(20.0, 1_000, 10, "thermo")
                .add(25.0, 9_000, 11, "thermo")
                .add(19.0, 5_000, 12, "thermo");

        // Then
        WindowAggregate a = s.toAggregate("acme", "d1", "temperature", 0, 60_000, 0);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.min()).isEqualTo(19.0);
        assertThat(a.max()).isEqualTo(25.0);
        assertThat(a.sum()).isEqualTo(64.0);
        assertThat(a.mean()).isCloseTo(64.0 / 3, within(1e-12));
        assertThat(a.last()).as("greatest ts, not last arrival").isEqualTo(25.0);
        assertThat(a.lastTs()).isEqualTo(9_000);
        assertThat(a.deviceType()).isEqualTo("thermo");
        assertThat(a.maxReceivedAt()).isEqualTo(12);
    }

    @Test
    void shouldTakeTheLaterArrivalWhenTwoReadingsShareTheGreatestTimestamp() {
        WindowStats s = new WindowStats().add(1.0, 5, 0, "t").add(2.0, 5, 0, "t");
        assertThat(s.last).isEqualTo(2.0);
    }

    @Test
    void shouldComputeTheExactNearestRankP95UpToTheSampleCapacity() {
        // Given 1..100 in a scrambled order
        WindowStats s = new WindowStats();
        for (int i = 0; i < 100; i++) {
            s.add((i * 37) % 100 + 1, i, i, "t");
        }
        // Then the 95th of 100 is 95
        assertThat(s.p95()).isEqualTo(95.0);
    }

    @Test
    void shouldKeepTheSampleBoundedAndTheP95CloseBeyondTheCapacity() {
        // Given ten thousand readings 1..10000 in order
        WindowStats s = new WindowStats();
        for (int i = 1; i <= 10_000; i++) {
            s.add(i, i, i, "t");
        }
        // Then state stays bounded and the estimate is within 1 % of the truth (9500)
        assertThat(s.sampleSize).isLessThanOrEqualTo(WindowStats.SAMPLE_CAPACITY);
        assertThat(s.sample.length).isLessThanOrEqualTo(WindowStats.SAMPLE_CAPACITY);
        assertThat(s.p95()).isCloseTo(9500.0, within(100.0));
        assertThat(s.count).isEqualTo(10_000);
    }

    @Test
    void shouldMergeTwoAggregates() {
        WindowStats a = new WindowStats().add(1.0, 1, 1, "t").add(5.0, 2, 2, "t");
        WindowStats b = new WindowStats().add(3.0, 10, 3, "t");
        a.merge(b);
        assertThat(a.count).isEqualTo(3);
        assertThat(a.min).isEqualTo(1.0);
        assertThat(a.max).isEqualTo(5.0);
        assertThat(a.last).isEqualTo(3.0);
        assertThat(a.p95()).isEqualTo(5.0);
    }

    @Test
    void shouldGiveNanForAnEmptyAggregate() {
        assertThat(new WindowStats().mean()).isNaN();
        assertThat(new WindowStats().p95()).isNaN();
    }
}
