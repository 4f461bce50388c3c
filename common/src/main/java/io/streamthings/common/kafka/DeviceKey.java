package io.streamthings.common.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Kafka key of a device's records, {@code tenant/deviceId}, so that one device's records stay in order on one
 * partition. Built and parsed here only. The tenant ends at the first {@code /}; the device part is the rest.
 *
 * @param tenant the tenant, not blank
 * @param deviceId the device id within the tenant, not blank
 */
public record DeviceKey(String tenant, String deviceId) {

    /** The key as UTF-8 bytes of {@code tenant/deviceId}. */
    public static final Codec<DeviceKey> CODEC = new Codec<>() {
        @Override
        public byte[] encode(DeviceKey key) {
            if (key == null) {
                throw new IllegalArgumentException("a device key is required");
            }
            return key.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public DeviceKey decode(byte[] bytes) {
            return parse(bytes == null ? null : new String(bytes, StandardCharsets.UTF_8));
        }
    };

    /** @throws IllegalArgumentException when either part is null or blank */
    public DeviceKey {
        if (tenant == null || tenant.isBlank() || deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("tenant and deviceId must not be blank");
        }
    }

    /** The key of one device. */
    public static DeviceKey of(String tenant, String deviceId) {
        return new DeviceKey(tenant, deviceId);
    }

    /**
     * Reads {@code tenant/deviceId}.
     *
     * @throws IllegalArgumentException when the key is null, has no {@code /}, or either part is empty or blank
     */
    public static DeviceKey parse(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException("a device key is tenant/deviceId, got " + key);
        }
        return new DeviceKey(key.substring(0, slash), key.substring(slash + 1));
    }

    /** As {@link #parse}, empty instead of an exception for a key not of the form {@code tenant/deviceId}. */
    public static Optional<DeviceKey> tryParse(String key) {
        try {
            return Optional.of(parse(key));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code tenant/deviceId}: the key as it is on the wire. */
    @Override
    public String toString() {
        return tenant + "/" + deviceId;
    }
}
