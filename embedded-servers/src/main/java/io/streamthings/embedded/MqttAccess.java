package io.streamthings.embedded;

/**
 * Who may connect to the MQTT broker and which topics each may use. Called by the broker's I/O threads: answers must
 * come from memory, never from a database call.
 */
public interface MqttAccess {

    /**
     * True when the client may connect.
     *
     * @param clientId the MQTT client id
     * @param username the user name (a device id for devices); null when none was given
     * @param password the password bytes (the device token for devices); null when none was given
     */
    boolean authenticate(String clientId, String username, byte[] password);

    /** True when the user may publish to the topic. */
    boolean canPublish(String username, String topic);

    /** True when the user may subscribe to the topic filter. */
    boolean canSubscribe(String username, String topicFilter);

    /**
     * The most QoS 1 messages the broker sends this subscriber before it has their acknowledgements. Devices keep
     * the broker's own window ({@link MqttBroker#DEFAULT_INFLIGHT_WINDOW}); a subscriber that acknowledges only once
     * the messages are stored elsewhere (ingest, after Kafka) needs a wider one, or it idles a round trip every few
     * messages.
     */
    default int inflightWindow(String username) {
        return MqttBroker.DEFAULT_INFLIGHT_WINDOW;
    }

    /** Refuses every client: the safe default until device credentials are wired in. */
    static MqttAccess denyAll() {
        return new MqttAccess() {
            @Override
            public boolean authenticate(String clientId, String username, byte[] password) {
                return false;
            }

            @Override
            public boolean canPublish(String username, String topic) {
                return false;
            }

            @Override
            public boolean canSubscribe(String username, String topicFilter) {
                return false;
            }
        };
    }
}
