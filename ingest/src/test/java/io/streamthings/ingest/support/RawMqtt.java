package io.streamthings.ingest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * MQTT packets written by hand on a plain socket: for what no well-behaved client library sends (garbage, nothing at
 * all, a silent client past its keepalive) and for loops of thousands of connections without a library's threads.
 */
public final class RawMqtt implements AutoCloseable {

    private final Socket socket;

    private RawMqtt(Socket socket) {
        this.socket = socket;
    }

    /** Opens a TCP connection; reads time out after {@code readTimeoutMs} (a test's upper bound, never asserted). */
    public static RawMqtt open(int port, int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(readTimeoutMs);
        s.setTcpNoDelay(true);
        return new RawMqtt(s);
    }

    /** An MQTT 3.1.1 CONNECT with user name and password, clean session. */
    public static byte[] connect(String clientId, String username, String password, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        body.write(0xC2);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        writeString(body, clientId);
        writeString(body, username);
        writeString(body, password);
        return packet(0x10, body.toByteArray());
    }

    /** An MQTT 5 CONNECT with user name and password, clean start, no properties. */
    public static byte[] connect5(String clientId, String username, String password, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(5);
        body.write(0xC2);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        body.write(0); // no properties
        writeString(body, clientId);
        writeString(body, username);
        writeString(body, password);
        return packet(0x10, body.toByteArray());
    }

    /** A PUBLISH of the given QoS (packet id 1 when QoS > 0); {@code v5} adds the empty properties. */
    public static byte[] publish(String topic, byte[] payload, int qos, boolean v5) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(0);
            body.write(1);
        }
        if (v5) {
            body.write(0);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    /** DISCONNECT. */
    public static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * Reads the next packet's first byte and skips the rest of it.
     *
     * @return the first byte (type and flags) as 0-255, or -1 when the server closed the connection
     */
    public int readPacket() throws IOException {
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first < 0) {
            return -1;
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                return -1;
            }
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] rest = in.readNBytes(length);
        lastBody = rest;
        return first;
    }

    private byte[] lastBody = new byte[0];

    /** The body (after the fixed header) of the packet {@link #readPacket} read last. */
    public byte[] lastBody() {
        return lastBody;
    }

    /**
     * Waits for the server to close the connection, skipping what it sends before.
     *
     * @return true when it closed; false when the read timeout passed first
     */
    public boolean awaitClosed() throws IOException {
        try {
            while (true) {
                if (socket.getInputStream().read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server: closed too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            out.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
    }
}
