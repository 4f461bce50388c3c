package io.streamthings.devicemgmt.auth;

import io.streamthings.devicemgmt.errors.ApiException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounds how many bcrypt checks of the token endpoint run at once. Each costs tens of milliseconds of one core; without
 * a bound, anonymous requests could keep every core busy and starve the rest of the platform. A check that cannot start
 * within a short wait is refused with 503 and {@code Retry-After} rather than queued without end.
 */
public class PasswordCheckGate {

    private final Semaphore permits;
    private final long waitMs;

    /** {@code concurrency} checks at once; a further one waits up to {@code waitMs} for a turn. */
    public PasswordCheckGate(int concurrency, long waitMs) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.permits = new Semaphore(concurrency, true);
        this.waitMs = waitMs;
    }

    /** Half the cores, at least one: the other half stays for everything else. */
    public static int defaultConcurrency() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Runs one check when a turn is free; otherwise 503. */
    public boolean check(BooleanSupplier verification) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ApiException.retryLater(503, "too many sign-ins being checked at once; try again shortly", 1);
        }
        try {
            return verification.getAsBoolean();
        } finally {
            permits.release();
        }
    }
}
