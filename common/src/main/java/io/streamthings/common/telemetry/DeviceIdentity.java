package io.streamthings.common.telemetry;

/**
 * Who sent telemetry, as established by ingest from the device's credentials (never from the payload).
 *
 * @param tenant the tenant that owns the device
 * @param deviceType the name of the device's type
 * @param deviceId the device id, unique within the tenant
 */
public record DeviceIdentity(String tenant, String deviceType, String deviceId) {

    /** @throws IllegalArgumentException when any part is null or blank */
    public DeviceIdentity {
        requireNonBlank(tenant, "tenant");
        requireNonBlank(deviceType, "deviceType");
        requireNonBlank(deviceId, "deviceId");
    }

    static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
