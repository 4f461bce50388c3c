package io.streamthings.flink.realtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups the readings of a subtask's records into {@link SeriesBatch}es per window series and window, before the
 * shuffle to the window operator, and keeps the subtask's table of devices that also throttles their signs of life.
 * Pure Java, no Flink: {@link SeriesBatchOperator} calls it.
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
 * sample come out exactly as from single readings. (Should a device be held twice in one window, see below, its two
 * batches are released in the order they were started.)</li>
 * <li>Nothing is held across a checkpoint ({@link #releaseAll} runs before each barrier), so batching needs no state
 * and a restore neither loses nor repeats a reading.</li>
 * </ul>
 * A batch is also released when it reaches {@code batchCapacity} readings, and everything is released when the
 * subtask holds {@code maxHeldReadings} readings or on the operator's flush timer, so memory and the extra delay stay
 * bounded.
 *
 * <p>Cost: one lookup per record in a table of devices that outlives windows (no key object, no string built per
 * record), in which each device keeps its metric names, the buffers of the windows it has readings in now, and the
 * time its last sign of life was let through ({@link Device#lastSignOfLifeAt}). The table is cleared when it outgrows
 * {@code maxDevices}; devices then start afresh (a device's held readings stay with the window they were read in),
 * which lets at most one extra sign of life per device through.
 */
public final class SeriesBatcher {

    /** Devices remembered by default before the table is cleared. */
    public static final int DEFAULT_MAX_DEVICES = 100_000;

    private final long windowSizeMs;
    private final int batchCapacity;
    private final int maxHeldReadings;
    private final int maxDevices;
    private final HashMap<String, HashMap<String, Device>> devicesByTenant = new HashMap<>();
    private String lastTenant;
    private HashMap<String, Device> lastTenantDevices;
    private int devices;
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
        this(windowSizeMs, batchCapacity, maxHeldReadings, DEFAULT_MAX_DEVICES);
    }

    /**
     * @param windowSizeMs the size of the tumbling windows, ms
     * @param batchCapacity readings per batch at most
     * @param maxHeldReadings readings held at most, over all series
     * @param maxDevices devices remembered at most before the table is cleared
     */
    public SeriesBatcher(long windowSizeMs, int batchCapacity, int maxHeldReadings, int maxDevices) {
        if (windowSizeMs < 1 || batchCapacity < 1 || maxHeldReadings < 1 || maxDevices < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.windowSizeMs = windowSizeMs;
        this.batchCapacity = batchCapacity;
        this.maxHeldReadings = maxHeldReadings;
        this.maxDevices = maxDevices;
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
     * @return the record's device in the table (for its sign-of-life throttle)
     */
    public Device add(TelemetryEvent event, long watermark, Consumer<SeriesBatch> out) {
        Device device = device(event.tenant(), event.deviceId());
        long start = windowStart(event.ts());
        String[] names = event.metricNames();
        double[] values = event.metricValues();
        if (start + windowSizeMs - 1 <= watermark) {
            // Late here: on its own, at once (the window operator judges it against its own watermark).
            for (int i = 0; i < names.length; i++) {
                out.accept(new SeriesBatch(event.tenant(), event.deviceType(), event.deviceId(), names[i],
                        new double[] {values[i]}, new long[] {event.ts()}, new long[] {event.receivedAt()}));
            }
            return device;
        }
        Slot slot = device.slot(window(start));
        for (int i = 0; i < names.length; i++) {
            Builder b = slot.builder(device.metricIndex(names[i]), device);
            b.add(values[i], event.ts(), event.receivedAt(), event.deviceType(), device);
            held++;
            if (b.size == batchCapacity) {
                out.accept(b.build(device));
                held -= b.size;
                b.size = 0;
            }
        }
        if (held >= maxHeldReadings) {
            releaseAll(out);
        }
        return device;
    }

    /** Releases the batches of every window whose last millisecond is at or before {@code watermark}. */
    public void releaseUpTo(long watermark, Consumer<SeriesBatch> out) {
        release(watermark, out);
    }

    /** Releases every batch held. */
    public void releaseAll(Consumer<SeriesBatch> out) {
        release(Long.MAX_VALUE, out);
    }

    /** Readings held now. */
    public int held() {
        return held;
    }

    /** Devices in the table now. */
    public int devices() {
        return devices;
    }

    private Device device(String tenant, String deviceId) {
        HashMap<String, Device> ofTenant = lastTenantDevices;
        if (ofTenant == null || !tenant.equals(lastTenant)) {
            ofTenant = devicesByTenant.get(tenant);
            if (ofTenant == null) {
                ofTenant = new HashMap<>();
                devicesByTenant.put(tenant, ofTenant);
            }
            lastTenant = tenant;
            lastTenantDevices = ofTenant;
        }
        Device d = ofTenant.get(deviceId);
        if (d == null) {
            if (devices >= maxDevices) {
                devicesByTenant.clear();
                devices = 0;
                ofTenant = new HashMap<>();
                devicesByTenant.put(tenant, ofTenant);
                lastTenantDevices = ofTenant;
            }
            d = new Device(tenant, deviceId);
            ofTenant.put(deviceId, d);
            devices++;
        }
        return d;
    }

    private void release(long watermark, Consumer<SeriesBatch> out) {
        if (windows.isEmpty()) {
            return;
        }
        List<OpenWindow> closed = null;
        for (OpenWindow w : windows) {
            if (w.start + windowSizeMs - 1 <= watermark) {
                if (closed == null) {
                    closed = new ArrayList<>(2);
                }
                closed.add(w);
            }
        }
        if (closed == null) {
            return;
        }
        closed.sort((a, b) -> Long.compare(a.start, b.start));
        for (OpenWindow w : closed) {
            windows.remove(w);
            if (lastUsed == w) {
                lastUsed = null;
            }
            for (Slot slot : w.slots) {
                for (int i = 0; i < slot.count; i++) {
                    Builder b = slot.builders[i];
                    if (b != null && b.size > 0) {
                        held -= b.size;
                        out.accept(b.build(slot.device));
                        b.size = 0;
                    }
                }
                slot.device.free(slot);
            }
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

    /** A device of the table: its metric names, its buffers per open window, and its sign-of-life throttle. */
    public static final class Device {
        private final String tenant;
        private final String deviceId;
        private String[] metrics = new String[4];
        /** Readings of the last batch of each metric: the capacity a new batch of it starts with. */
        private int[] lastBatchSizes = new int[4];
        private int metricCount;
        /** Slots of the open windows the device has readings in; the last used first to look at. */
        private final List<Slot> slots = new ArrayList<>(2);
        private Slot current;
        private long lastSignOfLifeAt = Long.MIN_VALUE;

        Device(String tenant, String deviceId) {
            this.tenant = tenant;
            this.deviceId = deviceId;
        }

        /** Processing time its last sign of life was let through, ms; Long.MIN_VALUE if none yet. */
        public long lastSignOfLifeAt() {
            return lastSignOfLifeAt;
        }

        /** Records that a sign of life was let through at {@code now} (processing time, ms). */
        public void signOfLifeAt(long now) {
            lastSignOfLifeAt = now;
        }

        int metricIndex(String metric) {
            for (int i = 0; i < metricCount; i++) {
                if (metrics[i].equals(metric)) {
                    return i;
                }
            }
            if (metricCount == metrics.length) {
                metrics = Arrays.copyOf(metrics, metricCount * 2);
                lastBatchSizes = Arrays.copyOf(lastBatchSizes, metricCount * 2);
            }
            metrics[metricCount] = metric;
            return metricCount++;
        }

        Slot slot(OpenWindow window) {
            if (current != null && current.window == window) {
                return current;
            }
            for (Slot s : slots) {
                if (s.window == window) {
                    current = s;
                    return s;
                }
            }
            Slot s = new Slot(this, window);
            window.slots.add(s);
            slots.add(s);
            current = s;
            return s;
        }

        void free(Slot slot) {
            slots.remove(slot);
            if (current == slot) {
                current = null;
            }
        }
    }

    /** The batches of one device in one window, one builder per metric of the device. */
    private static final class Slot {
        final Device device;
        final OpenWindow window;
        Builder[] builders = new Builder[4];
        int count;

        Slot(Device device, OpenWindow window) {
            this.device = device;
            this.window = window;
        }

        Builder builder(int metricIndex, Device d) {
            if (metricIndex >= builders.length) {
                builders = Arrays.copyOf(builders, Math.max(metricIndex + 1, builders.length * 2));
            }
            Builder b = builders[metricIndex];
            if (b == null) {
                b = new Builder(d.metrics[metricIndex], metricIndex);
                builders[metricIndex] = b;
            }
            count = Math.max(count, metricIndex + 1);
            return b;
        }
    }

    private static final class OpenWindow {
        final long start;
        final List<Slot> slots = new ArrayList<>();

        OpenWindow(long start) {
            this.start = start;
        }
    }

    /**
     * The readings of one batch being built. Its arrays start at the size of the metric's previous batch (a device
     * reports at a steady rate, so a window's batch usually has the size of the last one) and are handed over to the
     * batch without a copy when they are exactly full: most batches cost one allocation per array, not the growth
     * from 8 and a final copy.
     */
    private static final class Builder {
        private static final int MIN_CAPACITY = 8;
        final String metric;
        final int metricIndex;
        String deviceType;
        double[] values;
        long[] ts;
        long[] receivedAt;
        int size;

        Builder(String metric, int metricIndex) {
            this.metric = metric;
            this.metricIndex = metricIndex;
        }

        void add(double value, long t, long received, String type, Device d) {
            if (size == 0) {
                deviceType = type;
                if (values == null) {
                    int capacity = Math.max(MIN_CAPACITY, d.lastBatchSizes[metricIndex]);
                    values = new double[capacity];
                    ts = new long[capacity];
                    receivedAt = new long[capacity];
                }
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

        SeriesBatch build(Device d) {
            d.lastBatchSizes[metricIndex] = size;
            if (size < values.length) {
                return new SeriesBatch(d.tenant, deviceType, d.deviceId, metric, Arrays.copyOf(values, size),
                        Arrays.copyOf(ts, size), Arrays.copyOf(receivedAt, size));
            }
            SeriesBatch batch = new SeriesBatch(d.tenant, deviceType, d.deviceId, metric, values, ts, receivedAt);
            values = null;
            ts = null;
            receivedAt = null;
            return batch;
        }
    }
}
