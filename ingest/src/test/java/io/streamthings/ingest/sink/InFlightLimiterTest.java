package io.streamthings.ingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

    @Test
    void shouldBoundRecordsAndBytes() {
        InFlightLimiter limiter = new InFlightLimiter(10, 1_000);
        assertThat(limiter.tryAcquire(8, 100, 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(limiter.tryAcquire(3, 100, 0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(limiter.tryAcquire(2, 950, 0, TimeUnit.MILLISECONDS)).isFalse();
        limiter.release(8, 100);
        assertThat(limiter.tryAcquire(10, 1_000, 0, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void shouldLetAnOversizedRequestThroughWhenNothingIsInFlight() {
        InFlightLimiter limiter = new InFlightLimiter(10, 1_000);
        assertThat(limiter.tryAcquire(50, 5_000, 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(limiter.tryAcquire(1, 1, 10, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void shouldWakeAWaiterWhenRoomIsReleased() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(1, 1_000);
        limiter.tryAcquire(1, 1, 0, TimeUnit.MILLISECONDS);
        Thread releaser = new Thread(() -> limiter.release(1, 1));
        releaser.start();
        assertThat(limiter.tryAcquire(1, 1, 5, TimeUnit.SECONDS)).isTrue();
        releaser.join();
    }
}
