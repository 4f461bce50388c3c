package io.streamthings.embedded;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MQTT 3.1.1 broker (Moquette) inside this JVM. Anonymous clients are refused; who may connect and which topics
 * a client may use are decided by the {@link MqttAccess} given at start.
 */
public final class MqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);
    private static final int SESSION_QUEUE_SIZE = 32_768;

    /** Moquette 0.17's in-flight window per session, a constant inside it (0.18, which makes it configurable, is not served). */
    public static final int DEFAULT_INFLIGHT_WINDOW = 10;

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
        // Commands (a publish to route, an acknowledgement...) waiting per session event loop. At the default, 1,024,
        // a burst from many devices overflows it and Moquette drops publishes without acknowledging them.
        props.setProperty("session_queue_size", String.valueOf(SESSION_QUEUE_SIZE));
        Server server = new Server();
        List<InterceptHandler> handlers = new ArrayList<>(interceptors);
        InflightWindows windows = new InflightWindows(server, access);
        handlers.add(windows);
        server.startServer(new MemoryConfig(props), handlers, null, access::authenticate, new Policy(access));
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

    /**
     * Widens the in-flight window of the sessions {@link MqttAccess#inflightWindow} asks for, when they subscribe.
     * Moquette 0.17 compiles its window (10) into each session as a counter of free slots; this adds slots to that
     * counter, once per session object, through reflection (the only way short of a Moquette release that is not
     * served). If Moquette's internals ever differ, the broker keeps its own window and says so.
     */
    private static final class InflightWindows extends AbstractInterceptHandler {
        private final Server server;
        private final MqttAccess access;
        private final Map<Object, Boolean> widened = Collections.synchronizedMap(new WeakHashMap<>());
        private volatile boolean broken;

        InflightWindows(Server server, MqttAccess access) {
            this.server = server;
            this.access = access;
        }

        @Override
        public String getID() {
            return "streamthings-inflight-windows";
        }

        @Override
        public Class<?>[] getInterceptedMessageTypes() {
            return new Class<?>[] {InterceptSubscribeMessage.class};
        }

        @Override
        public void onSubscribe(InterceptSubscribeMessage msg) {
            int window = access.inflightWindow(msg.getUsername());
            if (window <= DEFAULT_INFLIGHT_WINDOW || broken) {
                return;
            }
            try {
                Field registryField = Server.class.getDeclaredField("sessions");
                registryField.setAccessible(true);
                Object registry = registryField.get(server);
                Method retrieve = registry.getClass().getDeclaredMethod("retrieve", String.class);
                retrieve.setAccessible(true);
                Object session = retrieve.invoke(registry, msg.getClientID());
                if (session == null || widened.putIfAbsent(session, Boolean.TRUE) != null) {
                    return;
                }
                Field slotsField = session.getClass().getDeclaredField("inflightSlots");
                slotsField.setAccessible(true);
                ((AtomicInteger) slotsField.get(session)).addAndGet(window - DEFAULT_INFLIGHT_WINDOW);
                LOG.info("MQTT in-flight window of {} is {}", msg.getClientID(), window);
            } catch (ReflectiveOperationException | RuntimeException e) {
                broken = true;
                LOG.warn("Cannot widen Moquette's in-flight window ({}): subscribers keep {} unacknowledged messages",
                        e.toString(), DEFAULT_INFLIGHT_WINDOW);
            }
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            LOG.warn("Moquette session loop error", error);
        }
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
