package io.streamthings.common.device;

import io.streamthings.common.kafka.DeviceKey;
import java.util.Locale;
import java.util.Objects;

/**
 * One event on {@code device.events}: a change in a device's lifecycle (written by the device registry) or in its
 * presence (written by ingest and the real-time job). {@link DeviceEventCodec} gives its JSON.
 *
 * @param kind what happened
 * @param tenant the device's tenant, not blank
 * @param deviceId the device id, not blank
 * @param ts when it happened, epoch ms; for presence, when the device was last heard from
 * @param deviceType the device type; lifecycle events only, else null
 * @param status the device's status after the change; lifecycle events only, else null
 * @param transport the connection's transport ({@code mqtt}); events of ingest's MQTT server only, else null
 * @param reason why a connection ended; offline events of ingest's MQTT server only, else null
 */
public record DeviceEvent(Kind kind, String tenant, String deviceId, long ts, String deviceType, DeviceStatus status,
        String transport, String reason) {

    /** What happened; on the wire as the lower-case name in {@code type}. */
    public enum Kind {
        /** The device was enrolled (lifecycle). */
        ENROLLED,
        /** The device's status changed (lifecycle). */
        STATUS_CHANGED,
        /** The device's token was rotated (lifecycle). */
        TOKEN_ROTATED,
        /** The device's name, type, owner or properties changed (lifecycle). */
        UPDATED,
        /** The device was removed (lifecycle). */
        REMOVED,
        /** The device connected, or sent after a silence (presence). */
        ONLINE,
        /** The device disconnected, or has been silent longer than its offline timeout (presence). */
        OFFLINE,
        /** The device is still sending; throttled to one per device and interval (presence). */
        SEEN;

        /** The {@code type} on the wire: {@code status_changed}, {@code online}, ... */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind of a wire name.
         *
         * @throws IllegalArgumentException for a type this version does not know
         */
        public static Kind ofWireName(String type) {
            for (Kind k : values()) {
                if (k.wireName().equals(type)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown device event type " + type);
        }

        /** True for online, offline and seen: what the registry folds into lastSeen and online. */
        public boolean isPresence() {
            return this == ONLINE || this == OFFLINE || this == SEEN;
        }
    }

    /** @throws IllegalArgumentException when kind is null or tenant or deviceId is blank */
    public DeviceEvent {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (tenant == null || tenant.isBlank() || deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("tenant and deviceId must not be blank");
        }
    }

    /** A lifecycle event of the device registry. */
    public static DeviceEvent lifecycle(Kind kind, String tenant, String deviceId, String deviceType,
            DeviceStatus status, long ts) {
        return new DeviceEvent(kind, tenant, deviceId, ts, deviceType, status, null, null);
    }

    /** A presence event (online, offline, seen) without connection details, as the real-time job writes. */
    public static DeviceEvent presence(Kind kind, String tenant, String deviceId, long ts) {
        return new DeviceEvent(kind, tenant, deviceId, ts, null, null, null, null);
    }

    /** A presence event of a connection: its transport, and for offline why it ended (null for none). */
    public static DeviceEvent connection(Kind kind, String tenant, String deviceId, long ts, String transport,
            String reason) {
        return new DeviceEvent(kind, tenant, deviceId, ts, null, null, Objects.requireNonNull(transport, "transport"),
                reason);
    }

    /** The event's Kafka key: the device's {@code tenant/deviceId}. */
    public DeviceKey key() {
        return DeviceKey.of(tenant, deviceId);
    }
}
