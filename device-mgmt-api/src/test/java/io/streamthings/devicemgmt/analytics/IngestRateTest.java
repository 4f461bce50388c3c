package io.streamthings.devicemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IngestRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final IngestRate rate = new IngestRate(now::get);

    private void records(String key, int n) {
        for (int i = 0; i < n; i++) {
            rate.count(key);
        }
    }

    @Test
    void shouldAverageEachTenantsRecordsOverTheLastCompleteSeconds() {
        now.addAndGet(30_000);
        for (int second = 0; second < 20; second++) {
            records("acme/d-1", 10);
            records("acme/d-2", 5);
            records("other/d-1", 100);
            now.addAndGet(1_000);
        }
        records("acme/d-1", 1_000); // the second still filling does not count yet

        assertThat(rate.rate("acme", 10)).isEqualTo(new IngestRate.Rate(15.0, 10));
        assertThat(rate.rate("other", 10)).isEqualTo(new IngestRate.Rate(100.0, 10));
        // 20 seconds of records in a 30-second window: the 10 quiet ones count as quiet
        assertThat(rate.rate("acme", 30)).isEqualTo(new IngestRate.Rate(10.0, 30));
        assertThat(rate.rate("nobody", 10)).isEqualTo(new IngestRate.Rate(0.0, 10));
    }

    @Test
    void shouldNotCountWhatLeftTheWindowLongAgo() {
        now.addAndGet(100_000);
        records("acme/d-1", 50);
        now.addAndGet(61_000);
        records("acme/d-1", 6);
        now.addAndGet(1_000);

        assertThat(rate.rate("acme", 60)).isEqualTo(new IngestRate.Rate(0.1, 60));
    }

    @Test
    void shouldAverageOnlyOverTheTimeSinceItStarted() {
        now.addAndGet(500);
        records("acme/d-1", 8);
        now.addAndGet(3_600);

        assertThat(rate.rate("acme", 10)).isEqualTo(new IngestRate.Rate(2.0, 4));
    }

    @Test
    void shouldIgnoreKeysWithoutATenantAndRefuseBadWindows() {
        now.addAndGet(5_000);
        rate.count(null);
        rate.count("no-slash");
        rate.count("/d-1");
        now.addAndGet(1_000);

        assertThat(rate.rate("no-slash", 5).recordsPerSecond()).isZero();
        assertThat(rate.rate("", 5).recordsPerSecond()).isZero();
        assertThatThrownBy(() -> rate.rate("acme", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rate.rate("acme", 61)).isInstanceOf(IllegalArgumentException.class);
    }
}
