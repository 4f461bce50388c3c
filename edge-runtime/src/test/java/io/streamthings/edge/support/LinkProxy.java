package io.streamthings.edge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between devices and the platform that a test can cut (every connection closed, new ones refused) and
 * restore on the same port: the link going down as a device sees it, with the platform staying up.
 */
public final class LinkProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    public LinkProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket s = listen(0);
        this.port = s.getLocalPort();
        accept(s);
    }

    public int port() {
        return port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void accept(ServerSocket s) {
        server = s;
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket device = s.accept();
                    Socket platform = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(device);
                    sockets.add(platform);
                    pump(device, platform);
                    pump(platform, device);
                } catch (IOException e) {
                    // closed by cut()
                }
            }
        }, "link-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "link-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** The link goes down: open connections are closed, new ones refused. */
    public void cut() {
        close(server);
        for (Socket s : sockets) {
            close(s);
        }
        sockets.clear();
    }

    /** The link is back, on the same port. */
    public void restore() throws IOException {
        accept(listen(port));
    }

    private void close(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing
        }
        if (c instanceof Socket s) {
            sockets.remove(s);
        }
    }

    @Override
    public void close() {
        cut();
    }
}
