package io.streamthings.ingest.auth;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.telemetry.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may connect to the MQTT broker and which topics each may use, answered from the {@link DeviceDirectory} in
 * memory. A device connects with user name = device id and password = device token; the internal
 * {@link ServiceAccount} with its own.
 *
 * <p>A device that is blocked, made inactive or removed, or whose token is rotated, is refused at once: at connect,
 * and for a session already open, at its next publish (the broker asks {@link #canPublish} for every message), since
 * the session remembers which credential let it in and that credential must still be the current, active one.
 *
 * <p>Broker adapters call these methods from their I/O threads; none of them blocks.
 */
public final class DeviceAccessPolicy {

    private final DeviceDirectory directory;
    private final ServiceAccount service;
    /** deviceId → the credential that admitted its latest connection. */
    private final Map<String, Admission> sessions = new ConcurrentHashMap<>();
    /**
     * Devices are let in only once ingest's subscriber is subscribed: a broker acknowledges a QoS 1 message that has
     * no subscriber and drops it, so a device admitted earlier could lose what it sends.
     */
    private volatile boolean devicesAdmitted;

    public DeviceAccessPolicy(DeviceDirectory directory, ServiceAccount service) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.service = Objects.requireNonNull(service, "service");
    }

    /** The directory the answers come from. */
    public DeviceDirectory directory() {
        return directory;
    }

    /** Lets devices connect from now on (ingest is subscribed, or this policy serves no subscriber). */
    public void admitDevices() {
        devicesAdmitted = true;
    }

    /** True once {@link #admitDevices()} was called. */
    public boolean devicesAdmitted() {
        return devicesAdmitted;
    }

    /**
     * How many QoS 1 messages a broker may send the service account's subscriber before their acknowledgements: it
     * acknowledges only once Kafka has the records, so a broker's usual window (Moquette's 10) would leave it waiting
     * a Kafka round trip every few messages. Brokers that take a setting get it from their configuration instead
     * (mosquitto's {@code max_inflight_messages}).
     */
    public static final int SERVICE_INFLIGHT_WINDOW = 1_000;

    /** True when this user name is the internal service account's. */
    public boolean isServiceAccount(String username) {
        return service.is(username);
    }

    /**
     * True when the client may connect: the service account with its password, or an active device whose current
     * token is the password.
     */
    public boolean authenticate(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        if (service.is(username)) {
            return service.matches(username, password);
        }
        if (!devicesAdmitted) {
            return false;
        }
        AuthResult result = directory.authenticate(username, new String(password, StandardCharsets.UTF_8));
        if (!result.admitted()) {
            return false;
        }
        DeviceCredential c = result.credential();
        sessions.put(username, new Admission(c.tenant(), c.tokenHash()));
        return true;
    }

    /** True when the user may publish to the topic: its own prefix, and its session still stands. */
    public boolean canPublish(String username, String topic) {
        if (username == null) {
            return false;
        }
        if (service.is(username)) {
            return TopicAcl.serviceMayUse(topic);
        }
        return TopicAcl.deviceMayUse(username, topic) && sessionStands(username);
    }

    /** True when the user may subscribe to the filter. */
    public boolean canSubscribe(String username, String topicFilter) {
        if (username == null) {
            return false;
        }
        if (service.is(username)) {
            return TopicAcl.serviceMayUse(topicFilter);
        }
        return TopicAcl.deviceMayUse(username, topicFilter) && sessionStands(username);
    }

    /**
     * Who sent a message the broker delivered on a device's topic. The device must have an active credential; when
     * several tenants have a device of this id, the tenant whose credential admitted the device's MQTT session here
     * decides (with an external broker there is no such session, and the message is refused as ambiguous).
     */
    public Resolution resolvePublisher(String deviceId) {
        List<DeviceCredential> active = new ArrayList<>();
        for (DeviceCredential c : directory.credentials(deviceId)) {
            if (c.status() == DeviceStatus.ACTIVE) {
                active.add(c);
            }
        }
        if (active.isEmpty()) {
            List<DeviceCredential> all = directory.credentials(deviceId);
            return Resolution.refused(all.isEmpty()
                    ? "unknown device " + deviceId
                    : "device " + deviceId + " is " + all.get(0).status());
        }
        if (active.size() == 1) {
            return Resolution.of(identity(active.get(0)));
        }
        Admission admission = sessions.get(deviceId);
        if (admission != null) {
            for (DeviceCredential c : active) {
                if (c.tenant().equals(admission.tenant())) {
                    return Resolution.of(identity(c));
                }
            }
        }
        return Resolution.refused("device id " + deviceId + " exists in " + active.size()
                + " tenants and no session here says which one sent this");
    }

    private boolean sessionStands(String deviceId) {
        Admission admission = sessions.get(deviceId);
        if (admission == null) {
            return false;
        }
        Optional<DeviceCredential> current = directory.credential(admission.tenant(), deviceId);
        return current.isPresent()
                && current.get().status() == DeviceStatus.ACTIVE
                && Arrays.equals(current.get().tokenHash(), admission.tokenHash());
    }

    private static DeviceIdentity identity(DeviceCredential c) {
        return new DeviceIdentity(c.tenant(), c.deviceType(), c.deviceId());
    }

    private record Admission(String tenant, byte[] tokenHash) {}

    /**
     * The sender of a message, or why there is none.
     *
     * @param identity the device, when known
     * @param reason why it was refused, when it was
     */
    public record Resolution(DeviceIdentity identity, String reason) {

        static Resolution of(DeviceIdentity identity) {
            return new Resolution(identity, null);
        }

        static Resolution refused(String reason) {
            return new Resolution(null, reason);
        }

        /** True when the sender is known and active. */
        public boolean known() {
            return identity != null;
        }
    }
}
