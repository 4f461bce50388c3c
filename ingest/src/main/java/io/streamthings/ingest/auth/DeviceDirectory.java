package io.streamthings.ingest.auth;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    private static final Duration POLL = Duration.ofMillis(200);

    /** deviceId → tenant → credential; the inner maps are immutable and replaced whole. */
    private final Map<String, Map<String, DeviceCredential>> byId = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final List<ChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Properties consumerConfig;
    private final String topic;
    private volatile boolean running;
    private boolean closed;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** A directory reading {@link Topics#DEVICE_CREDENTIALS} from the given Kafka; call {@link #start()}. */
    public DeviceDirectory(String bootstrapServers) {
        this.topic = Topics.DEVICE_CREDENTIALS.name();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-device-directory");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerConfig = p;
    }

    /** Starts following the topic in a daemon thread; a second call does nothing. */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        running = true;
        consumer = new KafkaConsumer<>(consumerConfig);
        thread = new Thread(this::loop, "ingest-device-directory");
        thread.setDaemon(true);
        thread.start();
    }

    /** True once everything that was on the topic at start has been read. */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /**
     * Waits until the directory has caught up.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            t = thread;
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        KafkaConsumer<String, byte[]> c = consumer;
        try {
            Map<TopicPartition, Long> target = assignAll(c);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    apply(record.key(), record.value());
                }
                if (target != null && reached(c, target)) {
                    target = null;
                    caughtUp.countDown();
                    LOG.info("Device directory caught up: {} device credentials", size());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to leave poll()
        } catch (RuntimeException e) {
            LOG.error("Device directory stopped following {}", topic, e);
        } finally {
            c.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition, waiting for the topic to exist; returns the end offsets to reach. */
    private Map<TopicPartition, Long> assignAll(KafkaConsumer<String, byte[]> c) {
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = c.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                return new HashMap<>(c.endOffsets(partitions, Duration.ofSeconds(30)));
            }
            LOG.info("Waiting for topic {} to exist", topic);
            sleepQuietly(500);
        }
        return null;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
            if (c.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
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

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
