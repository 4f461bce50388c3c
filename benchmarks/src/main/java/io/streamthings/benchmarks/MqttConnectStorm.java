package io.streamthings.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Many MQTT connections opened at once, from a process of its own (one process may hold only so many sockets, and the
 * server under test holds the other ends): every socket connects and sends its CONNECT without waiting for the
 * others, then the CONNACKs are awaited. Prints {@code CONNECTED <n> <ms>}, holds the connections until its standard
 * input closes, then closes them.
 *
 * <p>Arguments: {@code host port count credentialsFile}; the file has one {@code user<TAB>password} per line, used
 * round-robin (several connections of one device are allowed, each with its own client id).
 */
public final class MqttConnectStorm {

    private MqttConnectStorm() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        List<String[]> creds = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                creds.add(line.split("\t", 2));
            }
        }
        Selector selector = Selector.open();
        List<SocketChannel> channels = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(host, port));
            String[] c = creds.get(i % creds.size());
            ByteBuffer connect = MqttLoadClient.connect("storm-" + i, c[0], c[1]);
            ch.register(selector, SelectionKey.OP_CONNECT, new State(connect));
            channels.add(ch);
        }
        int connected = 0;
        int refused = 0;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (connected + refused < count && System.nanoTime() < deadline) {
            selector.select(100);
            for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) key.channel();
                State s = (State) key.attachment();
                try {
                    if (key.isConnectable() && ch.finishConnect()) {
                        ch.write(s.connect);
                        key.interestOps(s.connect.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                    } else if (key.isWritable()) {
                        ch.write(s.connect);
                        if (!s.connect.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        if (ch.read(s.connack) < 0) {
                            refused++;
                            key.cancel();
                        } else if (!s.connack.hasRemaining()) {
                            if (s.connack.get(3) == 0) {
                                connected++;
                            } else {
                                refused++;
                            }
                            key.interestOps(0);
                        }
                    }
                } catch (IOException e) {
                    refused++;
                    key.cancel();
                }
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("CONNECTED " + connected + " " + ms + " refused " + refused);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the parent closes our input
        }
        for (SocketChannel ch : channels) {
            ch.close();
        }
    }

    private static final class State {
        final ByteBuffer connect;
        final ByteBuffer connack = ByteBuffer.allocate(4);

        State(ByteBuffer connect) {
            this.connect = connect;
        }
    }
}
