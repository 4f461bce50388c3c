package org.apache.kafka.clients.producer.internals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * COMPATIBILITY SHIM, to be deleted once flink-connector-kafka ships a release built for kafka-clients 4.4.
 *
 * <p>Why it exists: flink-connector-kafka 5.0.0-2.2 (the latest release for Flink 2.2) calls the no-argument
 * {@code await()} of this kafka-clients internal class whenever its exactly-once sink flushes a transaction (on every
 * checkpoint). kafka-clients 4.4, which the platform needs for its embedded 4.4 broker in the same JVM, removed that
 * method, so the exactly-once {@code telemetry.agg} sink failed every checkpoint with a {@code NoSuchMethodError}.
 * This class has the same behaviour as kafka-clients 4.4's (the same public methods, the same results), plus the
 * missing {@code await()}. It precedes kafka-clients on the class path because this module's classes come first (in
 * tests, in the job jar, and in the standalone launcher, which lists flink-jobs first).
 *
 * <p>Not our code's API: nothing in StreamThings calls it. {@code TransactionalRequestResultShimTest} checks that it
 * is the one loaded and that it keeps kafka-clients' contract.
 */
public final class TransactionalRequestResult {

    private final CountDownLatch latch = new CountDownLatch(1);
    private final String operation;
    private volatile RuntimeException error;
    private volatile boolean isAcked;

    public TransactionalRequestResult(String operation) {
        this.operation = operation;
    }

    /** Completes the request with an error. */
    public void fail(RuntimeException error) {
        this.error = error;
        latch.countDown();
    }

    /** Completes the request successfully. */
    public void done() {
        latch.countDown();
    }

    /** Waits without a time limit (the method of kafka-clients before 4.4 that the Flink connector calls). */
    public void await() {
        await(Long.MAX_VALUE, TimeUnit.MILLISECONDS, "");
    }

    /**
     * Waits for the result, then acknowledges it and throws its error, if any.
     *
     * @throws TimeoutException when the request did not complete in time
     * @throws InterruptException when interrupted
     */
    public void await(long timeout, TimeUnit unit, String timeoutMessage) {
        try {
            if (!latch.await(timeout, unit)) {
                throw new TimeoutException("Timeout expired after " + unit.toMillis(timeout) + "ms while awaiting "
                        + operation + ". " + timeoutMessage);
            }
            isAcked = true;
            if (error != null) {
                throw error;
            }
        } catch (InterruptedException e) {
            throw new InterruptException("Received interrupt while awaiting " + operation, e);
        }
    }

    public RuntimeException error() {
        return error;
    }

    public boolean isSuccessful() {
        return isCompleted() && error == null;
    }

    public boolean isCompleted() {
        return latch.getCount() == 0L;
    }

    public boolean isAcked() {
        return isAcked;
    }
}
