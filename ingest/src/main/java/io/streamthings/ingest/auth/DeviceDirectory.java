package io.streamthings.ingest.auth;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import io.streamthings.kafka.CompactedTopicFollower;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every device credential in memory, read from the compacted topic {@code device.credentials} from its beginning and
 * followed from then on, so that authenticating a device never touches a database.
 *
 * <p>The directory assigns itself every partition (no consumer group: each ingest instance needs the whole table) and
 * counts as caught up once it has read up to the end offsets it found at start. Until then lookups answer from what
 * has been read so far, which may refuse a device that exists; {@link #awaitCaughtUp} lets start-up wait for it.
 *
 * <p>Device ids are unique within a tenant only. Lookups by device id return the device's credential in every tenant;
 * {@link #authenticate} checks the token against each, so the token decides the tenant.
 */
public final class DeviceDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceDirectory.class);

    /** deviceId → tenant → credential; the inner maps are immutable and replaced whole. */
    private final Map<String, Map<String, DeviceCredential>> byId = new ConcurrentHashMap<>();
    private final List<ChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompactedTopicFollower follower;

    /** A directory reading {@link Topics#DEVICE_CREDENTIALS} from the given Kafka; call {@link #start()}. */
    public DeviceDirectory(String bootstrapServers) {
        this.follower = CompactedTopicFollower.builder(bootstrapServers, Topics.DEVICE_CREDENTIALS.name(), this::apply)
                .name("ingest-device-directory")
                .onCaughtUp(() -> LOG.info("Device directory caught up: {} device credentials", size()))
                .build();
    }

    /** Starts following the topic in a daemon thread; a second call does nothing. */
    public void start() {
        follower.start();
    }

    /** True once everything that was on the topic at start has been read. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /**
     * Waits until the directory has caught up.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** The device's credential in every tenant that has a device of this id; empty when none does. */
    public List<DeviceCredential> credentials(String deviceId) {
        Map<String, DeviceCredential> tenants = deviceId == null ? null : byId.get(deviceId);
        return tenants == null ? List.of() : List.copyOf(tenants.values());
    }

    /** The credential of one device of one tenant. */
    public Optional<DeviceCredential> credential(String tenant, String deviceId) {
        Map<String, DeviceCredential> tenants = deviceId == null ? null : byId.get(deviceId);
        return tenants == null ? Optional.empty() : Optional.ofNullable(tenants.get(tenant));
    }

    /** The number of devices known, over all tenants. */
    public int size() {
        int n = 0;
        for (Map<String, DeviceCredential> tenants : byId.values()) {
            n += tenants.size();
        }
        return n;
    }

    /**
     * Checks a device id and token. Each tenant's device of this id is tried; the one whose token matches decides.
     *
     * @return never null; {@link AuthResult#admitted()} only for an active device whose current token matches
     */
    public AuthResult authenticate(String deviceId, String token) {
        if (deviceId == null || deviceId.isEmpty() || token == null || token.isEmpty()) {
            return AuthResult.refused(AuthResult.Outcome.UNKNOWN_OR_BAD_TOKEN);
        }
        for (DeviceCredential credential : credentials(deviceId)) {
            if (DeviceTokens.verify(credential.salt(), credential.tokenHash(), token)) {
                return credential.status() == DeviceStatus.ACTIVE
                        ? AuthResult.admitted(credential)
                        : AuthResult.notActive(credential);
            }
        }
        return AuthResult.refused(AuthResult.Outcome.UNKNOWN_OR_BAD_TOKEN);
    }

    /**
     * Checks a token against one tenant's device of this id (MQTT's {@code deviceId@tenant}): no other tenant's device
     * of the same id can answer for it.
     */
    public AuthResult authenticate(String tenant, String deviceId, String token) {
        if (tenant == null || deviceId == null || token == null || token.isEmpty()) {
            return AuthResult.refused(AuthResult.Outcome.UNKNOWN_OR_BAD_TOKEN);
        }
        Optional<DeviceCredential> found = credential(tenant, deviceId);
        if (found.isEmpty() || !DeviceTokens.verify(found.get().salt(), found.get().tokenHash(), token)) {
            return AuthResult.refused(AuthResult.Outcome.UNKNOWN_OR_BAD_TOKEN);
        }
        return found.get().status() == DeviceStatus.ACTIVE
                ? AuthResult.admitted(found.get())
                : AuthResult.notActive(found.get());
    }

    /** Told of every credential change after it is applied: a new or changed credential, or a removal. */
    @FunctionalInterface
    public interface ChangeListener {
        /**
         * @param credential the credential now in force, null when the device was removed
         */
        void changed(String tenant, String deviceId, DeviceCredential credential);
    }

    /** Adds a listener, called on the directory's thread; it must not block. */
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /** Stops following the topic; a second call does nothing. */
    @Override
    public void close() {
        follower.close();
    }

    /** Applies one record of the compacted topic: a credential, or a tombstone (null value) that withdraws it. */
    void apply(String key, byte[] value) {
        Optional<DeviceKey> parsed = DeviceKey.tryParse(key);
        if (parsed.isEmpty()) {
            LOG.warn("Skipping a credential with a key not of the form tenant/deviceId: {}", key);
            return;
        }
        String tenant = parsed.get().tenant();
        String deviceId = parsed.get().deviceId();
        if (value == null) {
            byId.computeIfPresent(deviceId, (id, tenants) -> {
                Map<String, DeviceCredential> copy = new HashMap<>(tenants);
                copy.remove(tenant);
                return copy.isEmpty() ? null : Map.copyOf(copy);
            });
            notifyListeners(tenant, deviceId, null);
            return;
        }
        DeviceCredential credential;
        try {
            credential = Topics.DEVICE_CREDENTIALS.decodeValue(value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping an unreadable credential for {}: {}", key, e.getMessage());
            return;
        }
        byId.compute(credential.deviceId(), (id, tenants) -> {
            Map<String, DeviceCredential> copy = tenants == null ? new HashMap<>() : new HashMap<>(tenants);
            copy.put(credential.tenant(), credential);
            return Map.copyOf(copy);
        });
        notifyListeners(credential.tenant(), credential.deviceId(), credential);
    }

    private void notifyListeners(String tenant, String deviceId, DeviceCredential credential) {
        for (ChangeListener l : listeners) {
            try {
                l.changed(tenant, deviceId, credential);
            } catch (RuntimeException e) {
                LOG.warn("A credential listener failed on {}/{}", tenant, deviceId, e);
            }
        }
    }
}
