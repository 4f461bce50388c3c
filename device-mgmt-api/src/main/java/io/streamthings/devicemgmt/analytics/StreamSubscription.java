package io.streamthings.devicemgmt.analytics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
    private volatile boolean dropped;

    /** A subscription with room for {@code capacity} frames not yet written. */
    public StreamSubscription(StreamFilter filter, int capacity) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
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
     * Writes queued frames to the client until it is dropped or ended, with a comment line whenever nothing was sent
     * for {@code heartbeat}: proxies and the server's idle timeout would otherwise close a quiet connection, and a
     * client that went away is noticed at the latest at the next heartbeat, when the write fails.
     *
     * @throws IOException when the client is gone
     */
    public void pump(OutputStream out, Duration heartbeat) throws IOException, InterruptedException {
        write(out, ": connected\n\n");
        out.flush();
        while (!dropped) {
            String frame = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                write(out, ": heartbeat\n\n");
                out.flush();
                continue;
            }
            for (int n = 0; frame != null && n < BATCH; n++) {
                if (frame == END || dropped) {
                    return;
                }
                write(out, frame);
                frame = n + 1 < BATCH ? queue.poll() : null;
            }
            out.flush();
        }
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

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
