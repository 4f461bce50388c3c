package io.streamthings.ingest.mqtt;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Brings Kafka's acknowledgements back onto one event loop in batches. Kafka completes a whole produce response (often
 * hundreds of records, for many connections of the same loop) on its sender thread; handing each record over as its own
 * task and flushing each PUBACK as its own socket write cost more than the rest of a message's path. Here the sender
 * thread only queues, one task per burst drains the queue, and each connection touched flushes once, after all of its
 * PUBACKs of the burst are written.
 */
final class AckHandback implements Runnable {

    /** One Kafka outcome for one PUBLISH (pending is null for QoS 0). */
    record Outcome(MqttConnection connection, MqttConnection.PendingAck pending, boolean rejectedOnly, Throwable error) {}

    private final EventExecutor loop;
    private final Queue<Outcome> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Connections with PUBACKs written and not yet flushed; touched on the loop only. */
    private final List<MqttConnection> toFlush = new ArrayList<>();

    AckHandback(EventExecutor loop) {
        this.loop = loop;
    }

    /** From any thread: Kafka's outcome for one publish; the connection hears of it on its loop. */
    void add(Outcome outcome) {
        queue.offer(outcome);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        // Cleared before draining: an outcome queued after this point schedules another run, so none is stranded.
        scheduled.set(false);
        Outcome o;
        while ((o = queue.poll()) != null) {
            if (o.connection().sent(o.pending(), o.rejectedOnly(), o.error())) {
                toFlush.add(o.connection());
            }
        }
        for (int i = 0; i < toFlush.size(); i++) {
            toFlush.get(i).flushWritten();
        }
        toFlush.clear();
    }
}
