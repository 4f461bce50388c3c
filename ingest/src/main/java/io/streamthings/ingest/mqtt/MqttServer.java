package io.streamthings.ingest.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.common.operation.OperationStatus;
import io.streamthings.ingest.auth.DeviceDirectory;
import io.streamthings.ingest.config.MqttSettings;
import io.streamthings.ingest.core.DeviceRateLimiter;
import io.streamthings.ingest.core.IngestPipeline;
import io.streamthings.ingest.core.LastSeenTracker;
import io.streamthings.ingest.edge.EdgeUplink;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest's own MQTT server (3.1.1 and 5.0) on Netty's codec: devices connect here, and what they publish goes through
 * the same {@link IngestPipeline} as HTTP, acknowledged (PUBACK) only once Kafka has it. There is no broker in between
 * and nothing is stored: no retained messages, no persistent sessions, no QoS 2.
 *
 * <p>The server keeps the live connections by client id (a client id belongs to one device at a time: only the same
 * (tenant, device) may take a session over) and by device, so that a credential change seen by the
 * {@link DeviceDirectory} (blocked, removed, token rotated) closes that device's connections at once.
 */
public final class MqttServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

    private final MqttSettings settings;
    private final DeviceDirectory directory;
    private final IngestPipeline pipeline;
    private final DeviceRateLimiter rateLimiter;
    private final LastSeenTracker.EventPublisher events;
    private final LongSupplier clockMs;
    private final MqttMetrics metrics;
    private final Map<String, MqttConnection> byClientId = new ConcurrentHashMap<>();
    private final Map<String, Set<MqttConnection>> byDevice = new ConcurrentHashMap<>();
    private final AtomicInteger handlers = new AtomicInteger();
    private final AtomicInteger pendingAcks = new AtomicInteger();
    private final Map<EventExecutor, AckHandback> handbacks = new ConcurrentHashMap<>();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ChannelGroup channels;
    private Channel plain;
    private Channel tls;
    private volatile boolean stopping;
    private final OperationsFollower operations;
    private final StatusPublisher statuses;
    private volatile EdgeUplink edge;

    /** Sends a record to {@code operation.status}; the future completes when Kafka has it. */
    @FunctionalInterface
    public interface StatusPublisher {
        java.util.concurrent.CompletableFuture<Void> publish(String key, byte[] value);
    }

    /**
     * @param rateLimiter null when rate limits are off
     * @param events where online and offline events go ({@code device.events}, key {@code tenant/deviceId})
     * @param kafkaBootstrap where the {@code operations} topic is followed; null not to deliver operations
     * @param statuses where DELIVERED and the devices' own status reports go ({@code operation.status}, key
     *     {@code tenant/deviceId})
     */
    public MqttServer(MqttSettings settings, DeviceDirectory directory, IngestPipeline pipeline,
            DeviceRateLimiter rateLimiter, LastSeenTracker.EventPublisher events, MqttMetrics metrics,
            LongSupplier clockMs, String kafkaBootstrap, StatusPublisher statuses) {
        this.settings = settings;
        this.directory = directory;
        this.pipeline = pipeline;
        this.rateLimiter = rateLimiter;
        this.events = events;
        this.metrics = metrics;
        this.clockMs = clockMs;
        this.statuses = statuses;
        this.operations = kafkaBootstrap == null ? null : new OperationsFollower(kafkaBootstrap, this::operation);
        metrics.connections(byClientId::size);
        directory.addListener(this::credentialChanged);
    }

    /** Binds the plain port, and the TLS port when a key store is configured. */
    public synchronized void start() throws Exception {
        int ioThreads = settings.getIoThreads() > 0 ? settings.getIoThreads()
                : Runtime.getRuntime().availableProcessors();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mqtt-accept", true),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("mqtt-io", true),
                NioIoHandler.newFactory());
        channels = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
        plain = bind(settings.getPort(), null);
        if (!settings.getKeyStorePath().isBlank()) {
            tls = bind(settings.getTlsPort(), sslContext(Path.of(settings.getKeyStorePath()),
                    settings.getKeyStorePassword().toCharArray()));
        }
        if (operations != null) {
            operations.start();
        }
        LOG.info("MQTT server listening on {}:{}{}", settings.getBindHost(), port(),
                tls == null ? " (no TLS: no key store configured)" : ", TLS on " + tlsPort());
    }

    private Channel bind(int port, SslContext ssl) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                // 10,000 devices may connect at once after an outage: a short backlog would refuse most of them.
                .option(ChannelOption.SO_BACKLOG, 8_192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (stopping) {
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("decoder", new MqttDecoder(settings.getMaxMessageBytes()));
                        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
                        ch.pipeline().addLast("mqtt", new MqttConnection(MqttServer.this));
                    }
                });
        return b.bind(new InetSocketAddress(settings.getBindHost(), port)).sync().channel();
    }

    static SslContext sslContext(Path keyStore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance(keyStore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return SslContextBuilder.forServer(kmf).build();
    }

    /** The plain port bound. */
    public int port() {
        return ((InetSocketAddress) plain.localAddress()).getPort();
    }

    /** The TLS port bound, or -1 without TLS. */
    public int tlsPort() {
        return tls == null ? -1 : ((InetSocketAddress) tls.localAddress()).getPort();
    }

    /** Connections that completed CONNECT and are open. */
    public int connections() {
        return byClientId.size();
    }

    /** Every socket open, whether or not it connected (for leak checks). */
    public int openChannels() {
        return channels == null ? 0 : channels.size();
    }

    /** Connection handlers alive (created and not yet removed): must fall back to 0 when every client left. */
    public int liveHandlers() {
        return handlers.get();
    }

    public MqttMetrics metrics() {
        return metrics;
    }

    /**
     * Stops accepting, waits up to {@code shutdownGraceMs} for the PUBACKs that wait for Kafka, then closes every
     * connection (MQTT 5 clients are told "server shutting down").
     */
    @Override
    public synchronized void close() {
        if (boss == null) {
            return;
        }
        stopping = true;
        if (operations != null) {
            operations.close();
        }
        if (plain != null) {
            plain.close().awaitUninterruptibly();
        }
        if (tls != null) {
            tls.close().awaitUninterruptibly();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.getShutdownGraceMs());
        while (pendingAcks.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (MqttConnection c : byClientId.values()) {
            c.kick(MqttConnection.SERVER_SHUTTING_DOWN, "server shutting down");
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss = null;
    }

    // ---- what connections ask of the server ----

    /** Serves what edge runtimes publish besides telemetry; without one, devices may publish only telemetry and events. */
    public void edgeUplink(EdgeUplink edge) {
        this.edge = edge;
    }

    EdgeUplink edge() {
        return edge;
    }

    MqttSettings settings() {
        return settings;
    }

    DeviceDirectory directory() {
        return directory;
    }

    IngestPipeline pipeline() {
        return pipeline;
    }

    DeviceRateLimiter rateLimiter() {
        return rateLimiter;
    }

    long nowMs() {
        return clockMs.getAsLong();
    }

    boolean stopping() {
        return stopping;
    }

    /** The one hand-back of Kafka's acknowledgements for the connections of this event loop. */
    AckHandback handback(EventExecutor loop) {
        return handbacks.computeIfAbsent(loop, AckHandback::new);
    }

    void handlerAdded() {
        handlers.incrementAndGet();
    }

    void handlerRemoved() {
        handlers.decrementAndGet();
    }

    void ackPending(int delta) {
        pendingAcks.addAndGet(delta);
    }

    /** What {@link #register} answers. */
    enum Registration { REGISTERED, CLIENT_ID_OF_ANOTHER_DEVICE }

    /**
     * Takes the client id for a connection. The id's current holder, if any, must be the same (tenant, device); it is
     * then closed (session taken over).
     */
    Registration register(MqttConnection connection) {
        MqttConnection[] previous = new MqttConnection[1];
        boolean[] refused = new boolean[1];
        byClientId.compute(connection.clientId(), (id, holder) -> {
            if (holder == null || holder == connection) {
                return connection;
            }
            if (!holder.identity().equals(connection.identity())) {
                refused[0] = true;
                return holder;
            }
            previous[0] = holder;
            return connection;
        });
        if (refused[0]) {
            return Registration.CLIENT_ID_OF_ANOTHER_DEVICE;
        }
        byDevice.computeIfAbsent(connection.identity().key(), k -> ConcurrentHashMap.newKeySet()).add(connection);
        if (previous[0] != null) {
            previous[0].kick(MqttConnection.SESSION_TAKEN_OVER, "session taken over");
        }
        metrics.connected();
        return Registration.REGISTERED;
    }

    void unregister(MqttConnection connection) {
        byClientId.remove(connection.clientId(), connection);
        byDevice.computeIfPresent(connection.identity().key(), (k, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    /** The live connections of one device, for operations. */
    Set<MqttConnection> connectionsOf(String tenant, String deviceId) {
        Set<MqttConnection> set = byDevice.get(DeviceKey.of(tenant, deviceId).toString());
        return set == null ? Set.of() : set;
    }

    void publishEvent(MqttIdentity device, String type, String reason) {
        DeviceEvent event = DeviceEvent.connection(DeviceEvent.Kind.ofWireName(type), device.tenant(),
                device.deviceId(), clockMs.getAsLong(), "mqtt", reason);
        try {
            events.publish(device.key(), Topics.DEVICE_EVENTS.encodeValue(event));
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the {} event of {}: {}", type, device.key(), e.toString());
        }
    }

    /** True once the follower of {@code operations} reads from the end of every partition. */
    public boolean operationsReady() {
        return operations != null && operations.ready();
    }

    /** An operation read from Kafka: to the device's connections here, if any. */
    private void operation(OperationMessage op) {
        for (MqttConnection c : connectionsOf(op.tenant(), op.deviceId())) {
            c.context().executor().execute(() -> c.operations.offer(op));
        }
    }

    void delivered(OperationMessage op) {
        OperationStatus status = new OperationStatus(
                op.tenant(), op.deviceId(), op.operationId(), OperationStatus.DELIVERED,
                clockMs.getAsLong());
        try {
            statuses.publish(DeviceKey.of(op.tenant(), op.deviceId()).toString(),
                    OperationCodec.encode(status));
        } catch (RuntimeException e) {
            LOG.warn("Could not report operation {} delivered: {}", op.operationId(), e.toString());
        }
    }

    /** A device's own status report, stamped: to {@code operation.status}; the future completes once Kafka has it. */
    java.util.concurrent.CompletableFuture<Void> statusReport(OperationStatus status) {
        try {
            return statuses.publish(status.tenant() + "/" + status.deviceId(), OperationCodec.encode(status));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Closes the connections a credential no longer lets in (blocked, removed, token rotated). */
    private void credentialChanged(String tenant, String deviceId, DeviceCredential credential) {
        Set<MqttConnection> open = byDevice.get(DeviceKey.of(tenant, deviceId).toString());
        if (open == null) {
            return;
        }
        for (MqttConnection c : open) {
            boolean stands = credential != null && credential.status() == DeviceStatus.ACTIVE
                    && Arrays.equals(credential.tokenHash(), c.admittedTokenHash());
            if (!stands) {
                String why = credential == null ? "device removed"
                        : credential.status() != DeviceStatus.ACTIVE ? "device " + credential.status()
                        : "token rotated";
                c.kick(MqttConnection.NOT_AUTHORIZED, why);
            }
        }
    }
}
