package io.streamthings.ingest.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeviceRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final DeviceRateLimiter limiter = new DeviceRateLimiter(10, 20, now::get);

    @Test
    void shouldAllowABurstThenRefuseWithTheSecondsToWait() {
        assertThat(limiter.tryAcquire("a/d1", 20)).isZero();
        assertThat(limiter.tryAcquire("a/d1", 5)).isEqualTo(1);

        now.addAndGet(500_000_000L); // half a second: 5 records back
        assertThat(limiter.tryAcquire("a/d1", 5)).isZero();
        assertThat(limiter.tryAcquire("a/d1", 1)).isEqualTo(1);
    }

    @Test
    void shouldKeepDevicesApart() {
        assertThat(limiter.tryAcquire("a/d1", 20)).isZero();
        assertThat(limiter.tryAcquire("a/d2", 20)).isZero();
        assertThat(limiter.size()).isEqualTo(2);
    }

    @Test
    void shouldLetABatchLargerThanTheBucketThroughAFullBucketAndChargeTheDebt() {
        assertThat(limiter.tryAcquire("a/d1", 50)).isZero();
        // 30 records of debt: a full bucket (20) is 5 s away at 10/s.
        assertThat(limiter.tryAcquire("a/d1", 50)).isEqualTo(5);
    }
}
