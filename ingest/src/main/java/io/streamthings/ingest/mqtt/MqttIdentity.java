package io.streamthings.ingest.mqtt;

import io.streamthings.common.kafka.DeviceKey;

/**
 * Who an MQTT user name says it is: {@code deviceId@tenant}, or a bare {@code deviceId} for tenant {@code default}.
 * Device ids are unique within a tenant only, so the tenant is part of the name and never guessed from the token.
 *
 * @param tenant the tenant named, {@code default} when none is
 * @param deviceId the device id
 */
public record MqttIdentity(String tenant, String deviceId) {

    /** The tenant of a user name without {@code @tenant}. */
    public static final String DEFAULT_TENANT = "default";

    /**
     * Reads a user name; the tenant is what follows the last {@code @}.
     *
     * @return null when the name is missing or names an empty device or tenant
     */
    public static MqttIdentity parse(String username) {
        if (username == null || username.isEmpty()) {
            return null;
        }
        int at = username.lastIndexOf('@');
        if (at < 0) {
            return new MqttIdentity(DEFAULT_TENANT, username);
        }
        if (at == 0 || at == username.length() - 1) {
            return null;
        }
        return new MqttIdentity(username.substring(at + 1), username.substring(0, at));
    }

    /** The Kafka key and registry key of this device, {@code tenant/deviceId}. */
    public String key() {
        return DeviceKey.of(tenant, deviceId).toString();
    }
}
