package io.streamthings.ingest.sink;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the records and bytes waiting for Kafka, so memory stays bounded however slow Kafka gets. A request larger
 * than the whole bound is let through when nothing else is in flight, so that it cannot wait forever.
 */
public final class InFlightLimiter {

    private final int maxRecords;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int records;
    private long bytes;

    public InFlightLimiter(int maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("in-flight bounds must be positive");
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Takes room for some records, waiting up to the timeout.
     *
     * @return false when there was no room in time (or the thread was interrupted)
     */
    public boolean tryAcquire(int n, long size, long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!fits(n, size)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = released.awaitNanos(nanos);
            }
            records += n;
            bytes += size;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back room taken by {@link #tryAcquire}. */
    public void release(int n, long size) {
        lock.lock();
        try {
            records -= n;
            bytes -= size;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int records() {
        return records;
    }

    public long bytes() {
        return bytes;
    }

    private boolean fits(int n, long size) {
        boolean empty = records == 0 && bytes == 0;
        return empty || (records + n <= maxRecords && bytes + size <= maxBytes);
    }
}
