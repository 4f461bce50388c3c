package io.streamthings.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Many simulated MQTT 3.1.1 devices on one thread: each is a plain socket that connects (user name, password),
 * publishes QoS 1 with at most {@code window} messages awaiting PUBACK, and counts PUBACKs. A load generator this
 * small leaves the two cores to the servers under test, which a thread-per-connection client would not.
 */
final class MqttLoadClient implements AutoCloseable {

    /** One device: its socket, topic, and messages in flight. */
    private static final class Conn {
        final SocketChannel channel;
        final byte[] topic;
        final String deviceId;
        ByteBuffer pending;
        int inFlight;
        int nextId = 1;
        /** Send times of the messages awaiting PUBACK, oldest first (PUBACKs come in publish order). */
        final java.util.ArrayDeque<Long> sentAt = new java.util.ArrayDeque<>();
        final ByteBuffer in = ByteBuffer.allocate(16 * 1024);

        Conn(SocketChannel channel, String deviceId) {
            this.channel = channel;
            this.deviceId = deviceId;
            this.topic = ("devices/" + deviceId + "/telemetry").getBytes(StandardCharsets.UTF_8);
        }
    }

    private final List<Conn> conns = new ArrayList<>();
    private final Selector selector;
    private final int window;
    final AtomicLong published = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    /** Publish-to-PUBACK times in µs, recorded while {@link #recordAckLatency} is set. */
    final List<Long> ackLatencyMicros = new ArrayList<>();
    volatile boolean recordAckLatency;

    /**
     * Connects every device.
     *
     * @param passwords the password of each device id (its token), or null for anonymous brokers
     */
    MqttLoadClient(String host, int port, List<String> deviceIds, LongFunction<String> passwordOf, int window)
            throws IOException {
        this(host, port, deviceIds, passwordOf, window, "");
    }

    /**
     * @param userSuffix appended to each device id for its user name ({@code @tenant} for ingest's MQTT server)
     */
    MqttLoadClient(String host, int port, List<String> deviceIds, LongFunction<String> passwordOf, int window,
            String userSuffix) throws IOException {
        this.selector = Selector.open();
        this.window = window;
        for (int i = 0; i < deviceIds.size(); i++) {
            String id = deviceIds.get(i);
            SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
            ch.socket().setTcpNoDelay(true);
            String password = passwordOf == null ? null : passwordOf.apply(i);
            writeFully(ch, connect("load-" + id + "-" + System.nanoTime(), id + userSuffix, password));
            ByteBuffer ack = ByteBuffer.allocate(4);
            while (ack.hasRemaining()) {
                if (ch.read(ack) < 0) {
                    throw new IOException("broker closed the connection of " + id);
                }
            }
            if (ack.get(0) != 0x20 || ack.get(3) != 0) {
                throw new IOException("broker refused " + id + " (CONNACK code " + ack.get(3) + ")");
            }
            ch.configureBlocking(false);
            Conn c = new Conn(ch, id);
            ch.register(selector, SelectionKey.OP_READ, c);
            conns.add(c);
        }
    }

    int size() {
        return conns.size();
    }

    /**
     * Publishes until the deadline: round-robin over the devices, each with at most {@code window} unacknowledged
     * messages, at most {@code ratePerSecond} in total (0 for as fast as the brokers acknowledge).
     */
    void run(long durationNanos, int ratePerSecond, LongFunction<byte[]> payloadAt) throws IOException {
        run(durationNanos, ratePerSecond, payloadAt, null, 0);
    }

    /**
     * Publishes until the deadline, as {@link #run(long, int, LongFunction)}, and besides keeps at most
     * {@code maxOutstanding} messages published but not yet {@code delivered} (counted at the far end: a subscriber,
     * or records in Kafka). A broker acknowledges a QoS 1 publish when it has it, not when its subscriber does; without
     * this bound the load piles up in the broker's queues and a run measures how fast they fill (or overflow), not how
     * fast messages get through.
     *
     * @param delivered null for no end-to-end bound
     */
    void run(long durationNanos, int ratePerSecond, LongFunction<byte[]> payloadAt, LongSupplier delivered,
            long maxOutstanding) throws IOException {
        long start = System.nanoTime();
        long end = start + durationNanos;
        double perNano = ratePerSecond / 1e9;
        long publishedAtStart = published.get();
        long now;
        while ((now = System.nanoTime()) < end) {
            long budget = Long.MAX_VALUE;
            if (ratePerSecond > 0) {
                budget = (long) ((now - start) * perNano) - (published.get() - publishedAtStart);
            }
            if (delivered != null) {
                budget = Math.min(budget, maxOutstanding - (published.get() - delivered.getAsLong()));
            }
            boolean wrote = false;
            for (Conn c : conns) {
                if (c.pending != null && c.pending.hasRemaining()) {
                    c.channel.write(c.pending);
                    wrote = true;
                    continue;
                }
                int n = (int) Math.min(window - c.inFlight, budget);
                if (n <= 0) {
                    continue;
                }
                // The device's next messages in one write: one system call, not one per message.
                ByteBuffer batch = ByteBuffer.allocate(n * (c.topic.length + 160));
                for (int i = 0; i < n; i++) {
                    byte[] payload = payloadAt.apply(System.currentTimeMillis());
                    if (batch.remaining() < c.topic.length + payload.length + 16) {
                        n = i;
                        break;
                    }
                    putPublish(batch, c, payload);
                }
                c.pending = batch.flip();
                c.channel.write(c.pending);
                c.inFlight += n;
                published.addAndGet(n);
                budget -= n;
                wrote = true;
            }
            // Block for acknowledgements when nothing could be sent, rather than spin a core away from the servers.
            readAcks(wrote ? 0 : 1);
        }
    }

    /** Waits up to the timeout for the PUBACKs of what was published. */
    void drain(long timeoutNanos) throws IOException {
        long end = System.nanoTime() + timeoutNanos;
        while (acknowledged.get() < published.get() && System.nanoTime() < end) {
            for (Conn c : conns) {
                if (c.pending != null && c.pending.hasRemaining()) {
                    c.channel.write(c.pending);
                }
            }
            readAcks(10);
        }
    }

    private void readAcks(long timeoutMs) throws IOException {
        int ready = timeoutMs == 0 ? selector.selectNow() : selector.select(timeoutMs);
        if (ready == 0) {
            return;
        }
        for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Conn c = (Conn) key.attachment();
            if (c.channel.read(c.in) < 0) {
                key.cancel();
                continue;
            }
            c.in.flip();
            while (c.in.remaining() >= 2) {
                int type = c.in.get(c.in.position()) & 0xF0;
                int length = c.in.get(c.in.position() + 1) & 0x7F; // PUBACK and PINGRESP are short
                if (c.in.remaining() < 2 + length) {
                    break;
                }
                c.in.position(c.in.position() + 2 + length);
                if (type == 0x40) {
                    c.inFlight--;
                    acknowledged.incrementAndGet();
                    Long sent = c.sentAt.poll();
                    if (sent != null && recordAckLatency) {
                        ackLatencyMicros.add((System.nanoTime() - sent) / 1_000);
                    }
                }
            }
            c.in.compact();
        }
    }

    private static void putPublish(ByteBuffer b, Conn c, byte[] payload) {
        int id = c.nextId;
        c.nextId = c.nextId == 65_535 ? 1 : c.nextId + 1;
        int remaining = 2 + c.topic.length + 2 + payload.length;
        b.put((byte) 0x32); // PUBLISH, QoS 1
        putLength(b, remaining);
        b.putShort((short) c.topic.length).put(c.topic).putShort((short) id).put(payload);
        c.sentAt.add(System.nanoTime());
    }

    static ByteBuffer connect(String clientId, String user, String password) {
        byte[] cid = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] u = user == null ? null : user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
        int remaining = 10 + 2 + cid.length + (u == null ? 0 : 2 + u.length) + (p == null ? 0 : 2 + p.length);
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + remaining);
        b.put((byte) 0x10);
        putLength(b, remaining);
        b.putShort((short) 4).put("MQTT".getBytes(StandardCharsets.US_ASCII)).put((byte) 4);
        b.put((byte) (0x02 | (u == null ? 0 : 0x80) | (p == null ? 0 : 0x40))); // clean session, user, password
        b.putShort((short) 0); // no keep-alive: the run is short
        b.putShort((short) cid.length).put(cid);
        if (u != null) {
            b.putShort((short) u.length).put(u);
        }
        if (p != null) {
            b.putShort((short) p.length).put(p);
        }
        return b.flip();
    }

    private static void putLength(ByteBuffer b, int length) {
        do {
            int digit = length % 128;
            length /= 128;
            b.put((byte) (length > 0 ? digit | 0x80 : digit));
        } while (length > 0);
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        selector.close();
    }
}
