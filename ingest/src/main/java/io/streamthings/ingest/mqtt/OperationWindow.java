package io.streamthings.ingest.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The operations going down one connection, QoS 1: at most {@code mqtt.operationsInFlight} unacknowledged at once,
 * the rest queued in order. An operation counts as delivered when the device's PUBACK comes; the server then reports
 * it on {@code operation.status}. Runs on the connection's event loop only.
 *
 * <p>Operations are not stored: one that reaches this instance while its device is not connected here, or that is
 * still unacknowledged when the connection closes, is not delivered by this transport (no DELIVERED status follows).
 */
final class OperationWindow {

    /** Operations queued for a device that has not subscribed yet, at most; past it the oldest are dropped. */
    private static final int MAX_QUEUED = 1_000;

    private final MqttConnection connection;
    private final ArrayDeque<OperationMessage> queued = new ArrayDeque<>();
    private final Map<Integer, OperationMessage> inFlight = new HashMap<>();
    private int nextPacketId = 1;

    OperationWindow(MqttConnection connection) {
        this.connection = connection;
    }

    /** Queues an operation for the device and sends what the window allows. */
    void offer(OperationMessage op) {
        if (queued.size() >= MAX_QUEUED) {
            queued.poll();
        }
        queued.add(op);
        pump();
    }

    /** The device acknowledged (PUBACK) the message with this packet id. */
    void acknowledged(int packetId) {
        OperationMessage op = inFlight.remove(packetId);
        if (op != null) {
            connection.server().delivered(op);
            pump();
        }
    }

    /** The device subscribed to something: operations waiting for it may go. */
    void subscribed() {
        pump();
    }

    /** The connection closed: what was in flight stays undelivered. */
    void closed() {
        queued.clear();
        inFlight.clear();
    }

    int inFlight() {
        return inFlight.size();
    }

    private void pump() {
        ChannelHandlerContext ctx = connection.context();
        if (ctx == null || !ctx.channel().isActive() || connection.identity() == null) {
            return;
        }
        String topic = "devices/" + connection.identity().deviceId() + "/operations";
        if (!connection.subscribedTo(topic)) {
            return;
        }
        int window = connection.server().settings().getOperationsInFlight();
        boolean wrote = false;
        while (!queued.isEmpty() && inFlight.size() < window) {
            OperationMessage op = queued.poll();
            int id = packetId();
            inFlight.put(id, op);
            MqttPublishMessage publish = new MqttPublishMessage(
                    new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttPublishVariableHeader(topic, id, MqttProperties.NO_PROPERTIES),
                    Unpooled.wrappedBuffer(OperationCodec.encode(op)));
            ctx.write(publish);
            connection.server().metrics().messageOut();
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private int packetId() {
        do {
            nextPacketId = nextPacketId >= 65_535 ? 1 : nextPacketId + 1;
        } while (inFlight.containsKey(nextPacketId));
        return nextPacketId;
    }
}
