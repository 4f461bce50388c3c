package io.streamthings.devicemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.errors.ApiException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PasswordCheckGateTest {

    @Test
    void shouldRefuseACheckBeyondTheBoundWith503AndRetryAfter() throws Exception {
        PasswordCheckGate gate = new PasswordCheckGate(1, 10);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> gate.check(() -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }));
        entered.await();

        assertThatThrownBy(() -> gate.check(() -> true)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isPositive();
        });

        release.countDown();
        assertThat(first.get()).isTrue();
        assertThat(gate.check(() -> false)).isFalse();
    }
}
