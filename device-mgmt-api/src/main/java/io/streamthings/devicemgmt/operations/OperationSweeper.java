package io.streamthings.devicemgmt.operations;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives operations by their stored deadlines on one background thread: every {@code sweepIntervalMs}, and at once
 * when a rollout's operation finishes. Because the deadlines live in PostgreSQL, a restart of this service (or of any
 * other part) loses nothing: the first pass after the start finds whatever fell due meanwhile. Safe with several
 * instances: each step locks with SKIP LOCKED or under the rollout's row lock.
 */
public class OperationSweeper implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(OperationSweeper.class);

    private final OperationService operations;
    private final long intervalMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public OperationSweeper(OperationService operations, long intervalMs) {
        this.operations = operations;
        this.intervalMs = intervalMs;
        operations.sweeperWakeUp(this::wakeUp);
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "operation-sweeper");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        wakeUp();
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Asks for a pass now rather than at the next interval. */
    public void wakeUp() {
        lock.lock();
        try {
            woken = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        int failures = 0;
        while (running) {
            int done = 0;
            try {
                done = operations.sweepOnce();
                failures = 0;
            } catch (RuntimeException e) {
                // PostgreSQL away for a moment: the deadlines are still stored; try again at the next pass.
                if (failures++ % 60 == 0) {
                    LOG.warn("Operation sweep failed: {}", e.toString());
                }
            }
            if (done < 500) {
                pause();
            }
        }
    }

    private void pause() {
        lock.lock();
        try {
            if (running && !woken) {
                work.await(intervalMs, TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
