package io.streamthings.ingest.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.ingest.auth.AuthResult;
import io.streamthings.ingest.core.Batch;
import io.streamthings.ingest.edge.EdgeUplink;
import io.streamthings.ingest.sink.SinkBusyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's MQTT connection. Everything here runs on the channel's event loop (Kafka's callbacks hop back onto
 * it), so the state needs no locks.
 *
 * <p>Refusals, each counted in {@code ingest.mqtt.refused.<reason>}: {@code bad-credentials}, {@code not-active},
 * {@code client-id-taken}, {@code bad-username}, {@code protocol} (a packet out of place, an unsupported version),
 * {@code no-connect} (timeout before CONNECT), {@code keepalive}, {@code malformed}, {@code too-large}, {@code qos2},
 * {@code publish-acl}, {@code subscribe-acl}, {@code revoked}.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    // MQTT 5 reason codes used here.
    static final byte NOT_AUTHORIZED = (byte) 0x87;
    static final byte SESSION_TAKEN_OVER = (byte) 0x8E;
    static final byte SERVER_SHUTTING_DOWN = (byte) 0x8B;
    static final byte SERVER_BUSY = (byte) 0x89;
    static final byte MALFORMED_PACKET = (byte) 0x81;
    static final byte PROTOCOL_ERROR = (byte) 0x82;
    static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    static final byte QOS_NOT_SUPPORTED = (byte) 0x9B;
    static final byte KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
    private static final long BUSY_RETRY_MS = 20;
    /** A batch Kafka could not take for a retriable reason is sent again this often, at most this many times. */
    private static final long KAFKA_RETRY_MS = 500;
    private static final int KAFKA_RETRIES = 240;
    /** PUBACK's fixed header byte: packet type 4, no flags. */
    private static final int PUBACK_HEADER = 0x40;

    private final MqttServer server;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> connectTimeout;
    private MqttVersion version;
    private boolean v5;
    private String clientId;
    private MqttIdentity identity;
    private DeviceIdentity device;
    private byte[] admittedTokenHash;
    private boolean registered;
    private String closeReason;
    private final Set<String> subscriptions = new HashSet<>();
    /** QoS 1 PUBLISHes in arrival order; PUBACKs leave in that order, as MQTT requires. */
    private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
    /** Publishes that arrived while an earlier one waits for room in the sink; they keep their order. */
    private final ArrayDeque<MqttPublishMessage> backlog = new ArrayDeque<>();
    private boolean stalled;
    /** Retriable Kafka failures in a row; reset by any success. */
    private int kafkaRetries;
    private boolean ratePaused;
    private AckHandback handback;
    /** PUBACKs written and not yet flushed: {@link AckHandback} flushes once per burst of Kafka acknowledgements. */
    private boolean unflushed;
    /** Operations sent to the device and not yet acknowledged. */
    final OperationWindow operations;

    MqttConnection(MqttServer server) {
        this.server = server;
        this.operations = new OperationWindow(this);
    }

    String clientId() {
        return clientId;
    }

    MqttIdentity identity() {
        return identity;
    }

    byte[] admittedTokenHash() {
        return admittedTokenHash;
    }

    boolean subscribedTo(String topic) {
        return subscriptions.contains(topic);
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    boolean isV5() {
        return v5;
    }

    MqttServer server() {
        return server;
    }

    /** Closes this connection from any thread, telling an MQTT 5 client why. */
    void kick(byte reasonCode, String reason) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        c.executor().execute(() -> {
            if (closeReason == null) {
                closeReason = reason;
            }
            if (reasonCode == NOT_AUTHORIZED) {
                server.metrics().refused("revoked");
            }
            disconnect(reasonCode);
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.handback = server.handback(ctx.executor());
        server.handlerAdded();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        server.handlerRemoved();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectTimeout = ctx.executor().schedule(() -> {
            if (identity == null) {
                server.metrics().refused("no-connect");
                ctx.close();
            }
        }, server.settings().getConnectTimeoutMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        for (MqttPublishMessage m : backlog) {
            ReferenceCountUtil.release(m);
        }
        backlog.clear();
        server.ackPending(-acks.size());
        acks.clear();
        operations.closed();
        if (registered) {
            server.unregister(this);
            server.publishEvent(identity, "offline", closeReason == null ? "connection lost" : closeReason);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            server.metrics().refused("keepalive");
            closeReason = "keepalive timeout";
            disconnect(KEEP_ALIVE_TIMEOUT);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            closeReason = "error: " + cause.getClass().getSimpleName();
        }
        LOG.debug("MQTT connection {} failed", clientId, cause);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (m.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            badPacket(m.decoderResult().cause());
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (identity == null && type != MqttMessageType.CONNECT) {
            ReferenceCountUtil.release(msg);
            protocolError("first packet " + type + " is not CONNECT");
            return;
        }
        switch (type) {
            case CONNECT -> connect((MqttConnectMessage) m);
            case PUBLISH -> {
                if (stalled) {
                    backlog.add((MqttPublishMessage) m);
                } else {
                    publish((MqttPublishMessage) m);
                }
            }
            case PUBACK -> operations.acknowledged(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> {
                closeReason = "client disconnected";
                ctx.close();
            }
            default -> {
                // PUBREC, PUBREL, PUBCOMP belong to QoS 2, which this server does not speak; AUTH is not offered.
                ReferenceCountUtil.release(msg);
                protocolError("unexpected " + type);
            }
        }
    }

    private void badPacket(Throwable cause) {
        boolean tooLarge = cause instanceof TooLongFrameException
                || (cause != null && String.valueOf(cause.getMessage()).contains("too large"));
        server.metrics().refused(tooLarge ? "too-large" : "malformed");
        closeReason = (tooLarge ? "packet too large: " : "malformed packet: ") + cause.getMessage();
        if (identity != null) {
            disconnect(tooLarge ? PACKET_TOO_LARGE : MALFORMED_PACKET);
        } else {
            ctx.close();
        }
    }

    private void protocolError(String what) {
        server.metrics().refused("protocol");
        closeReason = "protocol error: " + what;
        disconnect(PROTOCOL_ERROR);
    }

    /** MQTT 5: DISCONNECT with the reason, then close; 3.1.1 has no server DISCONNECT: close. */
    private void disconnect(byte reasonCode) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (v5 && identity != null) {
            ctx.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(reasonCode)
                    .properties(MqttProperties.NO_PROPERTIES).build()).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    // ---- CONNECT ----

    private void connect(MqttConnectMessage m) {
        if (identity != null || clientId != null) {
            protocolError("second CONNECT");
            return;
        }
        int level = m.variableHeader().version();
        version = level == 5 ? MqttVersion.MQTT_5 : level == 4 ? MqttVersion.MQTT_3_1_1 : MqttVersion.MQTT_3_1;
        v5 = version == MqttVersion.MQTT_5;
        String username = m.payload().userName();
        byte[] password = m.payload().passwordInBytes();
        MqttIdentity named = MqttIdentity.parse(username);
        if (named == null || password == null) {
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "bad-username",
                    "user name must be deviceId or deviceId@tenant, with the device token as password");
            return;
        }
        AuthResult result = server.directory().authenticate(named.tenant(), named.deviceId(),
                new String(password, StandardCharsets.UTF_8));
        if (result.outcome() == AuthResult.Outcome.NOT_ACTIVE) {
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not-active",
                    "device is " + result.credential().status());
            return;
        }
        if (!result.admitted()) {
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "bad-credentials",
                    "unknown device or wrong token");
            return;
        }
        String requested = m.payload().clientIdentifier();
        boolean assigned = requested == null || requested.isEmpty();
        clientId = assigned ? "auto-" + UUID.randomUUID() : requested;
        identity = named;
        device = result.identity().orElseThrow();
        admittedTokenHash = result.credential().tokenHash();
        if (server.register(this) != MqttServer.Registration.REGISTERED) {
            identity = null;
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client-id-taken",
                    "client id " + clientId + " belongs to another device");
            return;
        }
        registered = true;
        connectTimeout.cancel(false);
        int keepAlive = m.variableHeader().keepAliveTimeSeconds();
        if (keepAlive == 0) {
            keepAlive = server.settings().getDefaultKeepAliveSeconds();
        }
        if (keepAlive > 0) {
            // MQTT: the server closes a client silent for one and a half keepalive periods.
            ctx.pipeline().addBefore(ctx.name(), "keepalive",
                    new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5) {
            props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), server.settings().getMaxMessageBytes()));
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 0));
            if (assigned) {
                props.add(new MqttProperties.StringProperty(
                        MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
            }
        }
        ctx.writeAndFlush(new MqttConnAckMessage(connAckHeader(),
                new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, false, props)));
        server.publishEvent(identity, "online", null);
    }

    private void refuseConnect(MqttConnectReturnCode code, String metric, String reason) {
        server.metrics().refused(metric);
        closeReason = reason;
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5) {
            props = new MqttProperties();
            props.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(),
                    reason));
        }
        ctx.writeAndFlush(new MqttConnAckMessage(connAckHeader(), new MqttConnAckVariableHeader(code, false, props)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static MqttFixedHeader connAckHeader() {
        return new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
    }

    // ---- PUBLISH ----

    private void publish(MqttPublishMessage m) {
        long arrived = System.nanoTime();
        MqttQoS qos = m.fixedHeader().qosLevel();
        String topic = m.variableHeader().topicName();
        int packetId = m.variableHeader().packetId();
        byte[] payload;
        try {
            payload = ByteBufUtil.getBytes(m.payload());
        } finally {
            m.release();
        }
        server.metrics().messageIn();
        if (qos == MqttQoS.EXACTLY_ONCE || qos == MqttQoS.FAILURE) {
            server.metrics().refused("qos2");
            closeReason = "QoS 2 is not supported";
            disconnect(QOS_NOT_SUPPORTED);
            return;
        }
        if (!mayPublish(topic)) {
            server.metrics().refused("publish-acl");
            if (v5 && qos == MqttQoS.AT_LEAST_ONCE) {
                PendingAck refused = new PendingAck(packetId, arrived);
                refused.done(NOT_AUTHORIZED);
                acks.add(refused);
                server.ackPending(1);
                flushAcks();
            } else {
                closeReason = "publish outside the device's topics: " + topic;
                disconnect(NOT_AUTHORIZED);
            }
            return;
        }
        String operationId = statusTopicOperation(topic);
        if (operationId != null) {
            statusReport(operationId, payload, qos == MqttQoS.AT_LEAST_ONCE ? packetId : -1, arrived);
            return;
        }
        long receivedAt = server.nowMs();
        String subtopic = topic.substring(("devices/" + identity.deviceId() + "/").length());
        if (server.edge() != null && EdgeUplink.accepts(subtopic)) {
            edge(subtopic, payload, receivedAt, qos == MqttQoS.AT_LEAST_ONCE ? packetId : -1, arrived);
            return;
        }
        Batch batch = server.pipeline().decodeJson(device, "mqtt", payload, receivedAt);
        PendingAck pending = null;
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            pending = new PendingAck(packetId, arrived);
            acks.add(pending);
            server.ackPending(1);
        }
        throttle(batch);
        send(batch, pending);
    }

    /**
     * Topics a device may publish to: its own telemetry and events, status reports on its own operations, and (with an
     * edge uplink) what an edge runtime sends: its records and its health.
     */
    private boolean mayPublish(String topic) {
        String prefix = "devices/" + identity.deviceId() + "/";
        if (topic == null || !topic.startsWith(prefix) || topic.length() <= prefix.length()) {
            return false;
        }
        if (server.edge() != null && EdgeUplink.accepts(topic.substring(prefix.length()))) {
            return true;
        }
        return ((topic.endsWith("/telemetry") || topic.endsWith("/events")) && topic.indexOf('/', prefix.length()) < 0)
                || statusTopicOperation(topic) != null;
    }

    private static final String OPERATIONS_LEVEL = "operations/";
    private static final String STATUS_LEVEL = "/status";

    /** The operation id of {@code devices/{own id}/operations/{opId}/status}, else null. */
    private String statusTopicOperation(String topic) {
        String prefix = "devices/" + identity.deviceId() + "/" + OPERATIONS_LEVEL;
        if (topic == null || !topic.startsWith(prefix) || !topic.endsWith(STATUS_LEVEL)
                || topic.length() <= prefix.length() + STATUS_LEVEL.length()) {
            return null;
        }
        String id = topic.substring(prefix.length(), topic.length() - STATUS_LEVEL.length());
        return id.indexOf('/') < 0 && id.indexOf('+') < 0 && id.indexOf('#') < 0 ? id : null;
    }

    /**
     * A device's report on one of its operations: stamped with its tenant and id and sent to
     * {@code operation.status}; the PUBACK waits for Kafka, in order with the device's other PUBACKs. Whether the step
     * is allowed (its own operation, forward only) is the operations service's to judge. A report that is not readable
     * is acknowledged with PAYLOAD_FORMAT_INVALID under MQTT 5 (3.1.1 has no way to say so) and counted as refused.
     */
    private void statusReport(String operationId, byte[] payload, int packetId, long arrived) {
        PendingAck pending = null;
        if (packetId >= 0) {
            pending = new PendingAck(packetId, arrived);
            acks.add(pending);
            server.ackPending(1);
        }
        io.streamthings.common.operation.OperationStatus status;
        try {
            status = io.streamthings.common.operation.OperationCodec.decodeReport(identity.tenant(),
                    identity.deviceId(), operationId, server.nowMs(), payload);
        } catch (IllegalArgumentException e) {
            server.metrics().refused("operation-status");
            LOG.info("Unreadable operation status from {} for {}: {}", identity.key(), operationId, e.getMessage());
            if (pending != null) {
                pending.done(v5 ? PAYLOAD_FORMAT_INVALID : (byte) 0);
                flushAcks();
            }
            return;
        }
        PendingAck waiting = pending;
        server.statusReport(status).whenComplete((ok, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                // Not in Kafka: no PUBACK; closing makes the device send it again when it reconnects.
                LOG.warn("Kafka did not take an operation status of {} ({}); closing its connection",
                        identity.key(), error.toString());
                closeReason = "Kafka did not acknowledge";
                disconnect(SERVER_BUSY);
                return;
            }
            if (waiting != null) {
                waiting.done((byte) 0);
                if (ctx.channel().isActive()) {
                    flushAcks();
                }
            }
        }));
    }

    /**
     * An edge runtime's message: acknowledged, in order with the rest, once Kafka has it. Any failure closes the
     * connection without a PUBACK, so the runtime sends it again (and the uplink drops what it already had).
     */
    private void edge(String subtopic, byte[] payload, long receivedAt, int packetId, long arrived) {
        PendingAck pending = null;
        if (packetId >= 0) {
            pending = new PendingAck(packetId, arrived);
            acks.add(pending);
            server.ackPending(1);
        }
        Batch none = new Batch(device, "mqtt", receivedAt, payload, java.util.List.of(), java.util.List.of());
        PendingAck waiting = pending;
        server.edge().handle(device, subtopic, payload, receivedAt).whenComplete((ok, error) -> handback.add(
                new AckHandback.Outcome(this, none, waiting, false,
                        error == null ? null : new IllegalStateException("edge uplink: " + error, error))));
    }

    /** Over its rate, a device is not refused: its socket is not read for a while (TCP pushes back on it). */
    private void throttle(Batch batch) {
        if (server.rateLimiter() == null || batch.accepted().isEmpty()) {
            return;
        }
        long waitSeconds = server.rateLimiter().tryAcquire(identity.key(), batch.accepted().size());
        if (waitSeconds > 0 && !ratePaused) {
            ratePaused = true;
            server.metrics().throttled();
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                ratePaused = false;
                if (!stalled) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, waitSeconds, TimeUnit.SECONDS);
        }
    }

    private void send(Batch batch, PendingAck pending) {
        CompletableFuture<Void> sent = server.pipeline().deliver(batch, Duration.ZERO);
        if (sent.isCompletedExceptionally() && busy(sent)) {
            // Too much waits for Kafka: hold this device back (stop reading) and try the same batch again shortly.
            stalled = true;
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    send(batch, pending);
                }
            }, BUSY_RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        if (stalled) {
            stalled = false;
            if (!ratePaused) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        boolean rejectedOnly = v5 && batch.accepted().isEmpty() && !batch.rejected().isEmpty();
        sent.whenComplete((ok, error) -> handback.add(
                new AckHandback.Outcome(this, batch, pending, rejectedOnly, error)));
        drainBacklog();
    }

    private void drainBacklog() {
        while (!stalled && !backlog.isEmpty() && ctx.channel().isActive()) {
            publish(backlog.poll());
        }
    }

    private static boolean retriable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RetriableException;
    }

    private static boolean busy(CompletableFuture<Void> future) {
        try {
            future.join();
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof SinkBusyException;
        }
    }

    /**
     * Kafka's outcome for one publish, on the loop. Writes the PUBACKs now due without flushing them.
     *
     * @return true when this connection now has PUBACKs to flush and was not yet due a flush
     */
    boolean sent(Batch batch, PendingAck pending, boolean rejectedOnly, Throwable error) {
        if (error != null && retriable(error) && kafkaRetries < KAFKA_RETRIES && ctx.channel().isActive()) {
            // Kafka is away for a moment (a broker restarting, its metadata not back yet): hold the device back and
            // send the same batch again; its PUBACK waits, in order. Only a Kafka that stays away closes the connection.
            kafkaRetries++;
            stalled = true;
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    send(batch, pending);
                }
            }, KAFKA_RETRY_MS, TimeUnit.MILLISECONDS);
            return false;
        }
        if (error != null) {
            // Not in Kafka: no PUBACK. Closing makes the device send it again when it reconnects.
            LOG.warn("Kafka did not take a message of {} ({}); closing its connection so that it sends again",
                    identity == null ? clientId : identity.key(), error.toString());
            closeReason = "Kafka did not acknowledge";
            disconnect(SERVER_BUSY);
            return false;
        }
        kafkaRetries = 0;
        if (pending == null) {
            return false;
        }
        pending.done(rejectedOnly ? PAYLOAD_FORMAT_INVALID : (byte) 0);
        if (writeAcks() && !unflushed) {
            unflushed = true;
            return true;
        }
        return false;
    }

    /** Flushes what {@link #sent} wrote. */
    void flushWritten() {
        unflushed = false;
        ctx.flush();
    }

    private void flushAcks() {
        if (writeAcks()) {
            ctx.flush();
        }
    }

    /** Writes, in arrival order, the PUBACKs whose Kafka acknowledgement is in; true when any was written. */
    private boolean writeAcks() {
        boolean wrote = false;
        ByteBuf successes = null;
        while (!acks.isEmpty() && acks.peek().done) {
            PendingAck a = acks.poll();
            server.ackPending(-1);
            if (!ctx.channel().isActive()) {
                continue;
            }
            if (a.reason == 0) {
                // A successful PUBACK is the same 4 bytes in 3.1.1 and 5 (5 lets reason 0 without properties be left
                // out). Encoded here into one buffer per burst: one allocation and one write instead of one per
                // message through MqttEncoder.
                if (successes == null) {
                    successes = ctx.alloc().ioBuffer(4 * Math.min(acks.size() + 1, 64));
                }
                successes.writeByte(PUBACK_HEADER).writeByte(2).writeShort(a.packetId);
            } else {
                if (successes != null) {
                    ctx.write(successes);
                    successes = null;
                }
                ctx.write(MqttMessageBuilders.pubAck().packetId((short) a.packetId).reasonCode(a.reason)
                        .properties(MqttProperties.NO_PROPERTIES).build());
            }
            server.metrics().pubAck(System.nanoTime() - a.arrivedNanos);
            wrote = true;
        }
        if (successes != null) {
            ctx.write(successes);
        }
        return wrote;
    }

    // ---- SUBSCRIBE ----

    private void subscribe(MqttSubscribeMessage m) {
        int packetId = m.variableHeader().messageId();
        int[] codes = new int[m.payload().topicSubscriptions().size()];
        int i = 0;
        for (MqttTopicSubscription s : m.payload().topicSubscriptions()) {
            String filter = s.topicFilter();
            if (maySubscribe(filter)) {
                int qos = Math.min(1, s.qualityOfService().value());
                codes[i++] = qos;
                subscriptions.add(filter);
            } else {
                server.metrics().refused("subscribe-acl");
                codes[i++] = v5 ? (NOT_AUTHORIZED & 0xFF) : MqttQoS.FAILURE.value();
            }
        }
        ctx.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
        operations.subscribed();
    }

    /** A device may subscribe to its own operations and edge rules, exactly (no wildcards). */
    private boolean maySubscribe(String filter) {
        String prefix = "devices/" + identity.deviceId() + "/";
        return filter.equals(prefix + "operations") || filter.equals(prefix + "edge/rules");
    }

    private void unsubscribe(MqttUnsubscribeMessage m) {
        java.util.List<Short> codes = new java.util.ArrayList<>();
        for (String filter : m.payload().topics()) {
            codes.add(subscriptions.remove(filter) ? (short) 0 : (short) 0x11);
        }
        ctx.writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(m.variableHeader().messageId(),
                        MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes)));
    }

    static final class PendingAck {
        final int packetId;
        final long arrivedNanos;
        boolean done;
        byte reason;

        PendingAck(int packetId, long arrivedNanos) {
            this.packetId = packetId;
            this.arrivedNanos = arrivedNanos;
        }

        void done(byte reason) {
            this.done = true;
            this.reason = reason;
        }
    }
}
