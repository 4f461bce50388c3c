package io.streamthings.devicemgmt.analytics;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One live-stream client: a bounded queue of server-sent-event frames that the shared Kafka consumer fills and the
 * client's request thread empties into the HTTP response. The consumer never waits for a client: when the queue is
 * full the client is dropped, and its connection ends as soon as its thread gets to run.
 */
public final class StreamSubscription {

    /** Put in the queue to end the pump at once (shutdown); compared by identity. */
    private static final String END = new String("end");
    /** Frames written per flush at most: a burst goes out in a few writes, not one per record. */
    private static final int BATCH = 256;

    private final StreamFilter filter;
    private final BlockingQueue<String> queue;
    private final String owner;
    private final BooleanSupplier stillAllowed;
    private volatile boolean dropped;

    /** A subscription with room for {@code capacity} frames not yet written, with no owner and no re-check. */
    public StreamSubscription(StreamFilter filter, int capacity) {
        this(filter, capacity, null, () -> true);
    }

    /**
     * A subscription of {@code owner} (who is counted against the cap on streams per caller), ended when
     * {@code stillAllowed} answers false or throws at a periodic re-check.
     */
    public StreamSubscription(StreamFilter filter, int capacity, String owner, BooleanSupplier stillAllowed) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.owner = owner;
        this.stillAllowed = stillAllowed;
    }

    /** Who opened the stream ({@code tenant/name}), or null. */
    String owner() {
        return owner;
    }

    /** Whether the caller may still receive this stream: its token is valid and it may still see the device. */
    boolean stillAllowed() {
        try {
            return stillAllowed.getAsBoolean();
        } catch (RuntimeException e) {
            // Cannot tell (the database is away, say): end the stream; the client reconnects and is checked afresh.
            return false;
        }
    }

    /** What this client receives. */
    public StreamFilter filter() {
        return filter;
    }

    /** True once the client was dropped for reading too slowly. */
    public boolean isDropped() {
        return dropped;
    }

    /** Queues a frame without waiting; false (and the client dropped) when the queue is full. */
    boolean offer(String frame) {
        if (dropped) {
            return false;
        }
        if (!queue.offer(frame)) {
            dropped = true;
            return false;
        }
        return true;
    }

    /** Ends the pump after the frames already queued, or at once when the queue is full (the service stops). */
    void end() {
        if (!queue.offer(END)) {
            queue.clear();
            queue.offer(END);
        }
    }

    /**
     * Sends queued frames to the client until it is dropped or ended, with a comment line whenever nothing was sent
     * for {@code heartbeat}: proxies and the server's idle timeout would otherwise close a quiet connection, and a
     * client that went away is noticed at the latest at the next heartbeat, when the write fails. A burst of frames
     * goes out as one write.
     *
     * @throws IOException when the client is gone
     */
    public void pump(Sink out, Duration heartbeat) throws IOException, InterruptedException {
        out.send(": connected\n\n");
        StringBuilder batch = new StringBuilder();
        while (!dropped) {
            String frame = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                out.send(": heartbeat\n\n");
                continue;
            }
            batch.setLength(0);
            boolean end = false;
            for (int n = 0; frame != null; n++) {
                if (frame == END || dropped) {
                    end = true;
                    break;
                }
                batch.append(frame);
                frame = n + 1 < BATCH ? queue.poll() : null;
            }
            if (batch.length() > 0 && !dropped) {
                out.send(batch.toString());
            }
            if (end) {
                return;
            }
        }
    }

    /** Where a client's frames go: one write that reaches the client before it returns. */
    @FunctionalInterface
    public interface Sink {
        /** Writes and flushes; blocks while the client does not read. @throws IOException when the client is gone */
        void send(String text) throws IOException;
    }

    /** One SSE frame: {@code event: <name>}, the data (one {@code data:} line per line), a blank line. */
    public static String frame(String event, String data) {
        StringBuilder b = new StringBuilder(data.length() + event.length() + 16);
        b.append("event: ").append(event).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            b.append("data: ").append(line).append('\n');
        }
        return b.append('\n').toString();
    }
}
