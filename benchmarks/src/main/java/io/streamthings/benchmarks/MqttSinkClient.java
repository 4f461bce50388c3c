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

/**
 * A plain MQTT 3.1.1 subscriber that does nothing but count: a few connections on one thread, each subscribed with
 * QoS 1 to a filter (a shared one, {@code $share/<group>/...}, splits the messages between them), acknowledging every
 * PUBLISH as soon as it is read, the PUBACKs of one read in one write. It measures the broker, not a client library.
 */
final class MqttSinkClient implements AutoCloseable {

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(1 << 20);
        final ByteBuffer out = ByteBuffer.allocate(1 << 18);

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final List<Conn> conns = new ArrayList<>();
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;
    final AtomicLong received = new AtomicLong();

    /**
     * Connects {@code connections} subscribers and starts reading.
     *
     * @param user null for an anonymous broker
     */
    MqttSinkClient(String host, int port, String filter, int connections, String user, String password)
            throws IOException {
        selector = Selector.open();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
            ch.socket().setTcpNoDelay(true);
            ch.socket().setReceiveBufferSize(1 << 20);
            writeFully(ch, MqttLoadClient.connect("sink-" + i + "-" + System.nanoTime(), user, password));
            readExactly(ch, 4, "CONNACK");
            byte[] f = filter.getBytes(StandardCharsets.UTF_8);
            ByteBuffer sub = ByteBuffer.allocate(2 + 2 + 2 + f.length + 1);
            sub.put((byte) 0x82).put((byte) (2 + 2 + f.length + 1)).putShort((short) 1).putShort((short) f.length)
                    .put(f).put((byte) 1);
            writeFully(ch, sub.flip());
            ByteBuffer suback = readExactly(ch, 5, "SUBACK");
            if ((suback.get(0) & 0xF0) != 0x90 || (suback.get(4) & 0xFF) > 2) {
                throw new IOException("broker refused the subscription to " + filter);
            }
            ch.configureBlocking(false);
            Conn c = new Conn(ch);
            ch.register(selector, SelectionKey.OP_READ, c);
            conns.add(c);
        }
        thread = new Thread(this::loop, "mqtt-sink");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                if (selector.select(50) == 0) {
                    continue;
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
                    parse(c);
                    c.in.compact();
                    c.out.flip();
                    writeFully(c.channel, c.out);
                    c.out.clear();
                }
            }
        } catch (IOException e) {
            if (running) {
                System.err.println("plain subscriber failed: " + e);
            }
        }
    }

    /** Consumes every whole packet in {@code c.in}, queueing a PUBACK for each QoS 1 PUBLISH. */
    private void parse(Conn c) {
        ByteBuffer in = c.in;
        while (in.remaining() >= 2) {
            int start = in.position();
            int header = in.get(start) & 0xFF;
            int length = 0;
            int shift = 0;
            int p = start + 1;
            boolean complete = false;
            while (p < in.limit()) {
                int b = in.get(p++) & 0xFF;
                length |= (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete || in.limit() - p < length) {
                return;
            }
            if ((header & 0xF0) == 0x30) {
                int qos = (header >> 1) & 0x03;
                if (qos > 0) {
                    int topicLength = ((in.get(p) & 0xFF) << 8) | (in.get(p + 1) & 0xFF);
                    int id = p + 2 + topicLength;
                    if (c.out.remaining() < 4) {
                        return; // acknowledge what is queued first
                    }
                    c.out.put((byte) 0x40).put((byte) 2).put(in.get(id)).put(in.get(id + 1));
                }
                received.incrementAndGet();
            }
            in.position(p + length);
        }
    }

    private static ByteBuffer readExactly(SocketChannel ch, int n, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("broker closed the connection before " + what);
            }
        }
        return b;
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        thread.join(2_000);
        for (Conn c : conns) {
            c.channel.close();
        }
        selector.close();
    }
}
