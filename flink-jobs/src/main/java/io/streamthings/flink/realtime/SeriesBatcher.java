package io.streamthings.flink.realtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Groups the readings of a subtask's records into {@link SeriesBatch}es per window series and window, before the
 * shuffle to the window operator. Pure Java, no Flink: {@link SeriesBatchOperator} calls it.
 *
 * <p>Why the window results stay those of sending every reading on its own:
 * <ul>
 * <li>A reading is held only while its window is open for this subtask (the subtask's watermark is before the
 * window's last millisecond). A window's batches are released by {@link #releaseUpTo} before the watermark that
 * closes it is passed on, so they reach the window operator before that window fires there (its watermark is the
 * minimum over its inputs).</li>
 * <li>A reading whose window is already closed for this subtask (late here) is passed on at once, alone, so the window
 * operator decides on its lateness exactly as before, and counts one firing per late reading.</li>
 * <li>A series' readings all come from one Kafka partition, hence one subtask, and a batch keeps their order; the
 * window operator adds them one by one in that order: count, min, max, sum, last (with its tie rule) and the p95
 * sample come out exactly as from single readings.</li>
 * <li>Nothing is held across a checkpoint ({@link #releaseAll} runs before each barrier), so batching needs no state
 * and a restore neither loses nor repeats a reading.</li>
 * </ul>
 * A batch is also released when it reaches {@code batchCapacity} readings, and everything is released when the
 * subtask holds {@code maxHeldReadings} readings or on the operator's flush timer, so memory and the extra delay stay
 * bounded.
 */
public final class SeriesBatcher {

    private final long windowSizeMs;
    private final int batchCapacity;
    private final int maxHeldReadings;
    /** Open windows, in no order; a handful at most (windows are released as the watermark passes them). */
    private final List<OpenWindow> windows = new ArrayList<>();
    private OpenWindow lastUsed;
    private int held;

    /**
     * @param windowSizeMs the size of the tumbling windows, ms
     * @param batchCapacity readings per batch at most
     * @param maxHeldReadings readings held at most, over all series
     */
    public SeriesBatcher(long windowSizeMs, int batchCapacity, int maxHeldReadings) {
        if (windowSizeMs < 1 || batchCapacity < 1 || maxHeldReadings < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.windowSizeMs = windowSizeMs;
        this.batchCapacity = batchCapacity;
        this.maxHeldReadings = maxHeldReadings;
    }

    /** The start of the window of an event time (tumbling windows aligned to the epoch, as Flink's). */
    public long windowStart(long ts) {
        return Math.floorDiv(ts, windowSizeMs) * windowSizeMs;
    }

    /**
     * Adds every metric of a record.
     *
     * @param event the record
     * @param watermark the subtask's current watermark
     * @param out receives the batches released now
     */
    public void add(TelemetryEvent event, long watermark, Consumer<SeriesBatch> out) {
        long start = windowStart(event.ts());
        String[] names = event.metricNames();
        double[] values = event.metricValues();
        if (start + windowSizeMs - 1 <= watermark) {
            // Late here: on its own, at once (the window operator judges it against its own watermark).
            for (int i = 0; i < names.length; i++) {
                out.accept(new SeriesBatch(event.tenant(), event.deviceType(), event.deviceId(), names[i],
                        new double[] {values[i]}, new long[] {event.ts()}, new long[] {event.receivedAt()}));
            }
            return;
        }
        // One lookup per record (device), then the device's few metrics by a linear scan.
        Device device = window(start).devices.computeIfAbsent(new DeviceKey(event.tenant(), event.deviceId()),
                k -> new Device());
        for (int i = 0; i < names.length; i++) {
            Builder b = device.builder(names[i]);
            b.add(values[i], event.ts(), event.receivedAt(), event.deviceType());
            held++;
            if (b.size == batchCapacity) {
                out.accept(b.build(event.tenant(), event.deviceId()));
                held -= b.size;
                b.clear();
            }
        }
        if (held >= maxHeldReadings) {
            releaseAll(out);
        }
    }

    /** Releases the batches of every window whose last millisecond is at or before {@code watermark}. */
    public void releaseUpTo(long watermark, Consumer<SeriesBatch> out) {
        release(w -> w.start + windowSizeMs - 1 <= watermark, out);
    }

    /** Releases every batch held. */
    public void releaseAll(Consumer<SeriesBatch> out) {
        release(w -> true, out);
    }

    /** Readings held now. */
    public int held() {
        return held;
    }

    private void release(Predicate<OpenWindow> which, Consumer<SeriesBatch> out) {
        if (windows.isEmpty()) {
            return;
        }
        List<OpenWindow> closed = new ArrayList<>();
        for (OpenWindow w : windows) {
            if (which.test(w)) {
                closed.add(w);
            }
        }
        closed.sort(Comparator.comparingLong(w -> w.start));
        for (OpenWindow w : closed) {
            windows.remove(w);
            for (Map.Entry<DeviceKey, Device> e : w.devices.entrySet()) {
                Device d = e.getValue();
                for (int i = 0; i < d.count; i++) {
                    Builder b = d.builders[i];
                    if (b.size > 0) {
                        held -= b.size;
                        out.accept(b.build(e.getKey().tenant, e.getKey().deviceId));
                    }
                }
            }
        }
        if (lastUsed != null && !windows.contains(lastUsed)) {
            lastUsed = null;
        }
    }

    private OpenWindow window(long start) {
        if (lastUsed != null && lastUsed.start == start) {
            return lastUsed;
        }
        for (OpenWindow w : windows) {
            if (w.start == start) {
                lastUsed = w;
                return w;
            }
        }
        lastUsed = new OpenWindow(start);
        windows.add(lastUsed);
        return lastUsed;
    }

    private static final class OpenWindow {
        final long start;
        final Map<DeviceKey, Device> devices = new HashMap<>();

        OpenWindow(long start) {
            this.start = start;
        }
    }

    /** Tenant and device id, hashed once. */
    private static final class DeviceKey {
        final String tenant;
        final String deviceId;
        final int hash;

        DeviceKey(String tenant, String deviceId) {
            this.tenant = tenant;
            this.deviceId = deviceId;
            this.hash = 31 * tenant.hashCode() + deviceId.hashCode();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DeviceKey k && k.hash == hash && k.deviceId.equals(deviceId) && k.tenant.equals(tenant);
        }
    }

    /** The series of one device in one window, by metric. */
    private static final class Device {
        String[] metrics = new String[4];
        Builder[] builders = new Builder[4];
        int count;

        Builder builder(String metric) {
            for (int i = 0; i < count; i++) {
                if (metrics[i].equals(metric)) {
                    return builders[i];
                }
            }
            if (count == metrics.length) {
                metrics = Arrays.copyOf(metrics, count * 2);
                builders = Arrays.copyOf(builders, count * 2);
            }
            metrics[count] = metric;
            builders[count] = new Builder(metric);
            return builders[count++];
        }
    }

    private static final class Builder {
        final String metric;
        String deviceType;
        double[] values = new double[8];
        long[] ts = new long[8];
        long[] receivedAt = new long[8];
        int size;

        Builder(String metric) {
            this.metric = metric;
        }

        void add(double value, long t, long received, String type) {
            if (size == 0) {
                deviceType = type;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                ts = Arrays.copyOf(ts, size * 2);
                receivedAt = Arrays.copyOf(receivedAt, size * 2);
            }
            values[size] = value;
            ts[size] = t;
            receivedAt[size] = received;
            size++;
        }

        void clear() {
            size = 0;
        }

        SeriesBatch build(String tenant, String deviceId) {
            return new SeriesBatch(tenant, deviceType, deviceId, metric, Arrays.copyOf(values, size),
                    Arrays.copyOf(ts, size), Arrays.copyOf(receivedAt, size));
        }
    }
}
