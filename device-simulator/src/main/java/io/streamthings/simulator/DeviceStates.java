package io.streamthings.simulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What operations changed on each device that the publishing loop must respect: a publish interval set by
 * {@code set-interval} (the device publishes once per interval at most) and a reboot in progress (no publishing).
 * Written by the operations, read by the pacing thread.
 */
final class DeviceStates {

    private final AtomicLongArray intervalNanos;
    private final AtomicLongArray nextPublishNanos;
    private final AtomicLongArray offlineUntilNanos;

    DeviceStates(int devices) {
        intervalNanos = new AtomicLongArray(devices);
        nextPublishNanos = new AtomicLongArray(devices);
        offlineUntilNanos = new AtomicLongArray(devices);
    }

    void setInterval(int device, Duration interval) {
        intervalNanos.set(device, interval.toNanos());
        nextPublishNanos.set(device, 0);
    }

    /** Seconds between publishes set by an operation, 0 when none was. */
    long intervalSeconds(int device) {
        return intervalNanos.get(device) / 1_000_000_000L;
    }

    void offline(int device, boolean offline) {
        offlineUntilNanos.set(device, offline ? Long.MAX_VALUE : 0);
    }

    boolean isOffline(int device) {
        return offlineUntilNanos.get(device) != 0;
    }

    /** Whether the device may publish now; if so, its next turn under its interval starts counting. */
    boolean takeTurn(int device, long nowNanos) {
        if (offlineUntilNanos.get(device) != 0) {
            return false;
        }
        long interval = intervalNanos.get(device);
        if (interval == 0) {
            return true;
        }
        if (nowNanos < nextPublishNanos.get(device)) {
            return false;
        }
        nextPublishNanos.set(device, nowNanos + interval);
        return true;
    }
}
