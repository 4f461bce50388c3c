package io.streamthings.embedded.testkit;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceCredentialCodec;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import io.streamthings.common.kafka.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes device credentials to {@code device.credentials} the way the device registry's outbox does (key
 * {@code tenant/deviceId}, the credential JSON, a tombstone on delete), so ingest can be tested without the registry.
 */
public final class Credentials implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, DeviceCredential> current = new ConcurrentHashMap<>();

    public Credentials(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    /** Enrolls an active device and returns its token. */
    public String enroll(String tenant, String deviceId, String deviceType) {
        String token = DeviceTokens.generate();
        publish(credential(tenant, deviceId, deviceType, DeviceStatus.ACTIVE, token));
        return token;
    }

    /** Gives the device a new token (the old one stops working) and returns it. */
    public String rotate(String tenant, String deviceId) {
        DeviceCredential c = current.get(tenant + "/" + deviceId);
        String token = DeviceTokens.generate();
        publish(credential(tenant, deviceId, c.deviceType(), c.status(), token));
        return token;
    }

    /** Changes the device's status, keeping its token. */
    public void status(String tenant, String deviceId, DeviceStatus status) {
        DeviceCredential c = current.get(tenant + "/" + deviceId);
        publish(new DeviceCredential(c.tenant(), c.deviceId(), c.deviceType(), c.owner(), status, c.salt(),
                c.tokenHash(), System.currentTimeMillis()));
    }

    /** Deletes the device: a tombstone. */
    public void delete(String tenant, String deviceId) {
        send(Topics.deviceKey(tenant, deviceId), null);
        current.remove(tenant + "/" + deviceId);
    }

    private static DeviceCredential credential(String tenant, String deviceId, String type, DeviceStatus status,
            String token) {
        byte[] salt = DeviceTokens.newSalt();
        return new DeviceCredential(tenant, deviceId, type, "alice", status, salt, DeviceTokens.hash(salt, token),
                System.currentTimeMillis());
    }

    private void publish(DeviceCredential c) {
        send(Topics.deviceKey(c.tenant(), c.deviceId()), DeviceCredentialCodec.encode(c));
        current.put(c.tenant() + "/" + c.deviceId(), c);
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.DEVICE_CREDENTIALS.name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the credential of " + key, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
