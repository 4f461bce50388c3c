package io.streamthings.ingest.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets for Paho whose input is buffered and which send without Nagle's delay.
 *
 * <p>Paho 1.2.5 reads each packet from the socket's own stream a byte or two at a time (header, length, body): three
 * {@code read} system calls per message, which at thousands of messages a second cost more than the rest of the
 * client. A buffer turns them into one per socket buffer. {@code TCP_NODELAY} sends each PUBACK at once instead of
 * holding it back for the broker's next acknowledgement.
 */
final class BufferedSocketFactory extends SocketFactory {

    static final BufferedSocketFactory INSTANCE = new BufferedSocketFactory();
    private static final int BUFFER_BYTES = 64 * 1024;

    private BufferedSocketFactory() {}

    @Override
    public Socket createSocket() throws SocketException {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    private static final class BufferedSocket extends Socket {
        private InputStream in;

        BufferedSocket() throws SocketException {
            setTcpNoDelay(true);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
            }
            return in;
        }
    }
}
