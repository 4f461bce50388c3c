package io.streamthings.ingest.core;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds "this device sent something" per device in memory and publishes at most one {@code seen} event per device
 * per interval to {@code device.events}, {@code {"type":"seen","tenant":..,"deviceId":..,"ts":epochMs}}, which the
 * device registry applies to {@code lastSeen} in batches: no database write per message.
 */
public final class LastSeenTracker implements AutoCloseable {

    /** Publishes one event: key {@code tenant/deviceId}, JSON value. */
    @FunctionalInterface
    public interface EventPublisher {
        void publish(String key, byte[] value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LastSeenTracker.class);

    private final EventPublisher publisher;
    private final long intervalMs;
    private final Map<String, Seen> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public LastSeenTracker(EventPublisher publisher, long intervalMs) {
        this.publisher = publisher;
        this.intervalMs = intervalMs;
    }

    /** Starts publishing every interval. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-last-seen");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::flushQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Notes that a device was seen at a time, epoch ms; the latest time per device wins. */
    public void seen(String tenant, String deviceId, long atMs) {
        pending.merge(DeviceKey.of(tenant, deviceId).toString(), new Seen(tenant, deviceId, atMs),
                (a, b) -> b.at >= a.at ? b : a);
    }

    /** Publishes one event per device seen since the last flush; returns how many. */
    public int flush() {
        int published = 0;
        for (Map.Entry<String, Seen> e : pending.entrySet()) {
            // Removed only if unchanged: a device seen again meanwhile keeps its newer entry for the next flush.
            if (pending.remove(e.getKey(), e.getValue())) {
                publisher.publish(e.getKey(), e.getValue().toJson());
                published++;
            }
        }
        return published;
    }

    /** Devices waiting for the next flush. */
    public int pendingDevices() {
        return pending.size();
    }

    /** Publishes what is pending and stops. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        flushQuietly();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not publish seen events: {}", e.toString());
        }
    }

    private record Seen(String tenant, String deviceId, long at) {
        byte[] toJson() {
            return Topics.DEVICE_EVENTS.encodeValue(DeviceEvent.presence(DeviceEvent.Kind.SEEN, tenant, deviceId, at));
        }
    }
}
