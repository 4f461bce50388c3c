package io.streamthings.devicemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void shouldLiftALockoutWhenItsTimeIsOver() {
        LoginThrottle throttle = new LoginThrottle(100, 100, 2, Duration.ofMinutes(5), clock);
        throttle.attempt("10.0.0.1", "Ann");
        throttle.failed("Ann");
        throttle.attempt("10.0.0.1", "ann");
        throttle.failed("ann");

        assertThatThrownBy(() -> throttle.attempt("10.0.0.2", "ANN")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(300));

        now = now.plus(Duration.ofMinutes(5));
        assertThatCode(() -> throttle.attempt("10.0.0.2", "ann")).doesNotThrowAnyException();
    }

    @Test
    void shouldForgetFailuresAfterASuccess() {
        LoginThrottle throttle = new LoginThrottle(100, 100, 2, Duration.ofMinutes(5), clock);
        throttle.failed("bob");
        throttle.succeeded("bob");
        throttle.failed("bob");

        assertThatCode(() -> throttle.attempt("10.0.0.1", "bob")).doesNotThrowAnyException();
    }

    @Test
    void shouldStartANewWindowEveryMinute() {
        LoginThrottle throttle = new LoginThrottle(2, 100, 10, Duration.ofMinutes(5), clock);
        throttle.attempt("10.0.0.1", "a");
        throttle.attempt("10.0.0.1", "b");
        assertThatThrownBy(() -> throttle.attempt("10.0.0.1", "c")).isInstanceOf(ApiException.class);
        assertThatCode(() -> throttle.attempt("10.0.0.9", "c")).doesNotThrowAnyException();

        now = now.plus(Duration.ofMinutes(1));
        assertThatCode(() -> throttle.attempt("10.0.0.1", "c")).doesNotThrowAnyException();
    }
}
