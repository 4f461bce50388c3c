package io.streamthings.edge.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The edge runtime's store-and-forward queue: what the rules emit waits here, on disk, until the platform has
 * acknowledged it (MQTT PUBACK). Two segment logs share one sequence: alerts and operation statuses in one, telemetry
 * in the other, so that a bound drops telemetry first and each log only ever loses its oldest records.
 *
 * <p>Bounds, checked on every append and by {@link #enforceBounds()}: at most {@code maxBytes} of live records (past
 * it the oldest telemetry goes first, then the oldest alerts), and nothing older than {@code maxAgeMs}. Every drop is
 * counted by kind.
 *
 * <p>Durability: with {@code fsync} an append returns once its records are on disk (one {@code fsync} per append,
 * and the runtime appends once per batch of events), so a power cut loses nothing that was appended. Without it, the
 * records survive a {@code kill -9} (they are in the page cache) but not a power cut. The sequence of a queue never
 * goes back, across restarts and power cuts (see {@link SegmentLog}); the queue's {@code epoch} names it, so a wiped
 * data folder starts a new epoch rather than reusing old sequences. Thread-safe.
 */
public final class OutboundQueue implements AutoCloseable {

    private final SegmentLog alerts;
    private final SegmentLog telemetry;
    private final long maxBytes;
    private final long maxAgeMs;
    private final LongSupplier clock;
    private final String epoch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long nextSeq;
    private long droppedAlerts;
    private long droppedTelemetry;
    private long droppedBytes;

    /**
     * Opens (or creates) the queue in a folder, recovering what is there: a record a crash cut short is dropped with
     * everything after it in its segment.
     *
     * @param segmentBytes the size past which a new segment file starts
     * @throws IllegalArgumentException when a bound is not positive
     */
    public OutboundQueue(Path dir, long maxBytes, long maxAgeMs, long segmentBytes, boolean fsync, LongSupplier clock)
            throws IOException {
        if (maxBytes <= 0 || maxAgeMs <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("queue bounds must be positive: maxBytes=" + maxBytes + ", maxAgeMs="
                    + maxAgeMs + ", segmentBytes=" + segmentBytes);
        }
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
        Files.createDirectories(dir);
        this.epoch = epoch(dir.resolve("epoch"));
        this.alerts = new SegmentLog(dir, "alerts", segmentBytes, fsync);
        this.telemetry = new SegmentLog(dir, "telemetry", segmentBytes, fsync);
        this.nextSeq = Math.max(alerts.maxSeq(), telemetry.maxSeq()) + 1;
    }

    private static String epoch(Path file) throws IOException {
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!text.isEmpty()) {
                return text;
            }
        }
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        String epoch = HexFormat.of().formatHex(random);
        Path tmp = file.resolveSibling("epoch.tmp");
        Files.writeString(tmp, epoch, StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return epoch;
    }

    /** A record to append: its kind and JSON. */
    public record Item(QueuedRecord.Kind kind, byte[] payload) {}

    /**
     * Appends records in order, giving each the next sequence, then applies the bounds.
     *
     * @return the sequences given, in order
     */
    public long[] append(List<Item> items) throws IOException {
        lock.lock();
        try {
            long now = clock.getAsLong();
            List<QueuedRecord> a = new ArrayList<>();
            List<QueuedRecord> t = new ArrayList<>();
            long[] seqs = new long[items.size()];
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                QueuedRecord r = new QueuedRecord(nextSeq++, item.kind(), now, item.payload());
                seqs[i] = r.seq();
                (item.kind() == QueuedRecord.Kind.TELEMETRY ? t : a).add(r);
            }
            alerts.append(a);
            telemetry.append(t);
            enforce(now);
            if (!items.isEmpty()) {
                appended.signalAll();
            }
            return seqs;
        } finally {
            lock.unlock();
        }
    }

    /** Applies the age bound now (the bytes bound holds after every append). */
    public void enforceBounds() throws IOException {
        lock.lock();
        try {
            enforce(clock.getAsLong());
        } finally {
            lock.unlock();
        }
    }

    private void enforce(long now) throws IOException {
        while (alerts.liveBytes() + telemetry.liveBytes() > maxBytes) {
            QueuedRecord dropped = telemetry.liveCount() > 0 ? telemetry.removeHead() : alerts.removeHead();
            count(dropped);
        }
        for (SegmentLog log : List.of(telemetry, alerts)) {
            QueuedRecord h;
            while ((h = log.peekHead()) != null && now - h.appendedAt() > maxAgeMs) {
                count(log.removeHead());
            }
        }
    }

    private void count(QueuedRecord r) {
        droppedBytes += r.diskSize();
        if (r.kind() == QueuedRecord.Kind.TELEMETRY) {
            droppedTelemetry++;
        } else {
            droppedAlerts++;
        }
    }

    /**
     * The next records to send, oldest first across both logs: up to maxRecords alerts and telemetry (about
     * maxBytes at most), or a single STATUS record, which goes on a topic of its own. Waits up to waitMs for a record
     * when the queue is empty. Nothing is removed: {@link #acknowledged} does that once the platform has them.
     */
    public List<QueuedRecord> next(int maxRecords, int maxBytes, long waitMs) throws IOException,
            InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (alerts.liveCount() + telemetry.liveCount() == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                appended.awaitNanos(left);
            }
            List<QueuedRecord> a = alerts.peek(maxRecords, maxBytes);
            List<QueuedRecord> t = telemetry.peek(maxRecords, maxBytes);
            List<QueuedRecord> out = new ArrayList<>();
            int i = 0;
            int j = 0;
            int bytes = 0;
            while (out.size() < maxRecords && (i < a.size() || j < t.size())) {
                QueuedRecord r = j >= t.size() || (i < a.size() && a.get(i).seq() < t.get(j).seq()) ? a.get(i++)
                        : t.get(j++);
                if (r.kind() == QueuedRecord.Kind.STATUS) {
                    if (out.isEmpty()) {
                        out.add(r);
                    }
                    break;
                }
                if (!out.isEmpty() && bytes + r.payload().length > maxBytes) {
                    break;
                }
                out.add(r);
                bytes += r.payload().length;
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The platform has these records: removes them (and anything older still there). */
    public void acknowledged(List<QueuedRecord> records) throws IOException {
        long maxAlert = 0;
        long maxTelemetry = 0;
        for (QueuedRecord r : records) {
            if (r.kind() == QueuedRecord.Kind.TELEMETRY) {
                maxTelemetry = Math.max(maxTelemetry, r.seq());
            } else {
                maxAlert = Math.max(maxAlert, r.seq());
            }
        }
        lock.lock();
        try {
            alerts.removeThrough(maxAlert);
            telemetry.removeThrough(maxTelemetry);
        } finally {
            lock.unlock();
        }
    }

    /** The queue's name: a new one starts its sequences afresh. */
    public String epoch() {
        return epoch;
    }

    /** What the queue holds and has dropped. */
    public Stats stats() throws IOException {
        lock.lock();
        try {
            long now = clock.getAsLong();
            long oldest = Long.MAX_VALUE;
            for (SegmentLog log : List.of(alerts, telemetry)) {
                QueuedRecord h = log.peekHead();
                if (h != null) {
                    oldest = Math.min(oldest, h.appendedAt());
                }
            }
            return new Stats(alerts.liveCount() + telemetry.liveCount(), alerts.liveBytes() + telemetry.liveBytes(),
                    oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest), droppedAlerts, droppedTelemetry,
                    droppedBytes, alerts.truncatedBytes() + telemetry.truncatedBytes(), nextSeq - 1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param records live records
     * @param bytes their size on disk
     * @param oldestAgeMs age of the oldest, 0 when empty
     * @param droppedAlerts alerts and statuses dropped by a bound since start
     * @param droppedTelemetry telemetry records dropped by a bound since start
     * @param droppedBytes their size
     * @param truncatedBytes bytes of records cut short by a crash, found and cut off on open
     * @param lastSeq the last sequence given
     */
    public record Stats(long records, long bytes, long oldestAgeMs, long droppedAlerts, long droppedTelemetry,
            long droppedBytes, long truncatedBytes, long lastSeq) {}

    @Override
    public void close() {
        lock.lock();
        try {
            alerts.close();
            telemetry.close();
        } finally {
            lock.unlock();
        }
    }
}
