package io.streamthings.devicemgmt.health;

import com.codahale.metrics.health.HealthCheck;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The MQTT broker answers an MQTT 3.1.1 CONNECT with a CONNACK. Any return code will do: even a refusal (no
 * credentials) proves the broker is up and speaking MQTT. Plain sockets, so no MQTT client library is needed.
 */
public class MqttHealthCheck extends HealthCheck {

    private static final int CONNACK = 0x20;

    private final String host;
    private final int port;
    private final Duration timeout;

    public MqttHealthCheck(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    protected Result check() {
        try (Socket socket = new Socket()) {
            int millis = (int) timeout.toMillis();
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(connectPacket("streamthings-health-" + ProcessHandle.current().pid()));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type = in.readUnsignedByte();
            if (type != CONNACK) {
                return Result.unhealthy("expected CONNACK (0x20), got 0x" + Integer.toHexString(type));
            }
            in.readUnsignedByte(); // remaining length, 2
            in.readUnsignedByte(); // session present
            int code = in.readUnsignedByte();
            sendDisconnect(out);
            return Result.healthy("CONNACK return code " + code);
        } catch (IOException e) {
            // A down broker is the expected failure: say so in one line rather than with a stack trace.
            return Result.unhealthy("no MQTT answer from " + host + ":" + port + ": " + e);
        }
    }

    /** A CONNECT with a clean session, no credentials, keep-alive 10 s. */
    static byte[] connectPacket(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(4);
        body.writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII));
        body.write(4); // protocol level 3.1.1
        body.write(0x02); // clean session
        body.write(0);
        body.write(10);
        body.write(id.length >> 8);
        body.write(id.length & 0xFF);
        body.writeBytes(id);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // below 128 bytes, so one length byte
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void sendDisconnect(OutputStream out) {
        try {
            out.write(new byte[] {(byte) 0xE0, 0});
            out.flush();
        } catch (IOException e) {
            // The broker may already have closed a refused connection; the check has its answer.
        }
    }
}
