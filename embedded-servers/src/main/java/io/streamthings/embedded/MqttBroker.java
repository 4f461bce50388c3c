package io.streamthings.embedded;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.InterceptHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MQTT 3.1.1 broker (Moquette) inside this JVM. Anonymous clients are refused; who may connect and which topics
 * a client may use are decided by the {@link MqttAccess} given at start.
 */
public final class MqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);

    private final Server server;
    private final String host;
    private final int port;

    private MqttBroker(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts the broker.
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1} (or {@code 0.0.0.0} so devices on the network reach it)
     * @param port the TCP port, or 0 for a free one
     * @param dataDir a folder for the broker's files; created when missing
     * @param access who may connect, publish and subscribe
     * @param interceptors notified of connections and publications (may be empty)
     * @throws PortInUseException when the port is taken
     */
    public static MqttBroker start(String host, int port, Path dataDir, MqttAccess access,
            List<? extends InterceptHandler> interceptors) throws IOException {
        int chosen = port == 0 ? Ports.free() : Ports.requireFree(port, "MQTT broker");
        Files.createDirectories(dataDir);
        Properties props = new Properties();
        props.setProperty("host", host);
        props.setProperty("port", String.valueOf(chosen));
        props.setProperty("websocket_port", "disabled");
        props.setProperty("allow_anonymous", "false");
        // mosquitto_pub 2.x and other clients send an empty id and let the broker assign one (clean sessions only).
        props.setProperty("allow_zero_byte_client_id", "true");
        props.setProperty("data_path", dataDir.toAbsolutePath().toString());
        // Telemetry reaches Kafka before it is acknowledged, so the broker need not keep its own store on disk.
        props.setProperty("persistence_enabled", "false");
        props.setProperty("netty.mqtt.message_size", String.valueOf(1024 * 1024));
        props.setProperty("immediate_buffer_flush", "true");
        Server server = new Server();
        server.startServer(new MemoryConfig(props), interceptors, null, access::authenticate, new Policy(access));
        LOG.info("MQTT broker up on {}:{}", host, chosen);
        return new MqttBroker(server, host, chosen);
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    /** The broker URI for Paho, e.g. {@code tcp://127.0.0.1:1883}. */
    public String uri() {
        String address = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return "tcp://" + address + ":" + port;
    }

    /** The Moquette server, for interceptors and internal publishing. */
    public Server server() {
        return server;
    }

    /** Stops the broker and closes every client connection. */
    @Override
    public void close() {
        server.stopServer();
        LOG.info("MQTT broker stopped");
    }

    private record Policy(MqttAccess access) implements IAuthorizatorPolicy {
        @Override
        public boolean canWrite(Topic topic, String user, String client) {
            return access.canPublish(user, topic.toString());
        }

        @Override
        public boolean canRead(Topic topic, String user, String client) {
            return access.canSubscribe(user, topic.toString());
        }
    }
}
