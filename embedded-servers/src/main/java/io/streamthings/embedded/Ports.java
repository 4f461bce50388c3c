package io.streamthings.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finding free loopback ports and refusing clearly when a configured one is taken. */
public final class Ports {

    private Ports() {}

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }

    /**
     * Returns the port when nothing listens on it.
     *
     * @param what the server that wants the port, named in the error
     * @throws PortInUseException when the port is taken
     */
    public static int requireFree(int port, String what) {
        if (!isFree(port)) {
            throw new PortInUseException(what, port);
        }
        return port;
    }

    /** True when the port can be bound on every interface and on loopback. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
