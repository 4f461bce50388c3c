package io.streamthings.ingest.mqtt;

/** The operations sent down one connection and not yet acknowledged by the device (filled in with downlink). */
final class OperationWindow {

    private final MqttConnection connection;

    OperationWindow(MqttConnection connection) {
        this.connection = connection;
    }

    /** The device acknowledged (PUBACK) the message with this packet id. */
    void acknowledged(int packetId) {
    }

    /** The device subscribed to something: operations waiting for it may go. */
    void subscribed() {
    }

    /** The connection closed: what was in flight stays undelivered. */
    void closed() {
    }
}
