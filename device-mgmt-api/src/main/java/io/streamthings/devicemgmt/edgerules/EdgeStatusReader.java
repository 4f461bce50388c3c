package io.streamthings.devicemgmt.edgerules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.kafka.BackgroundConsumer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every edge runtime's last health report, read from the compacted {@code edge.status} topic (from its
 * beginning, without a consumer group: every API instance needs all of it, and a restart finds the last reports
 * again). Ingest writes {@code {"tenant", "deviceId", "receivedAt", "report": {...}}} keyed by the device.
 */
public class EdgeStatusReader extends BackgroundConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeStatusReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A runtime's last report, when ingest took it. */
    public record Health(String tenant, String deviceId, long receivedAt, JsonNode report) {}

    private final Map<DeviceKey, Health> latest = new ConcurrentHashMap<>();

    public EdgeStatusReader(String bootstrapServers) {
        super("edge-status-reader", config(bootstrapServers));
    }

    private static Properties config(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-edge-status");
        return p;
    }

    /** The last report of every runtime of a tenant. */
    public List<Health> ofTenant(String tenant) {
        return latest.values().stream().filter(h -> h.tenant().equals(tenant)).toList();
    }

    public Optional<Health> of(String tenant, String deviceId) {
        return Optional.ofNullable(latest.get(DeviceKey.of(tenant, deviceId)));
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> c) throws InterruptedException {
        List<TopicPartition> tps = c.partitionsFor(Topics.EDGE_STATUS.name(), Duration.ofSeconds(30))
                .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        if (tps.isEmpty()) {
            // Not created yet (the outbox publisher or ingest creates it): look again shortly.
            Thread.sleep(1_000);
            return;
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        while (running()) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                apply(r.key(), r.value());
            }
        }
    }

    /** Takes one record of the topic; a tombstone forgets the device, an unreadable record is logged and skipped. */
    void apply(String key, byte[] value) {
        Optional<DeviceKey> device = key == null ? Optional.empty() : DeviceKey.tryParse(key);
        if (device.isEmpty()) {
            return;
        }
        if (value == null) {
            latest.remove(device.get());
            return;
        }
        try {
            JsonNode node = JSON.readTree(value);
            JsonNode report = node == null ? null : node.get("report");
            if (report == null || !report.isObject() || !node.path("receivedAt").canConvertToLong()) {
                throw new IOException("expected {tenant, deviceId, receivedAt, report}");
            }
            Health h = new Health(device.get().tenant(), device.get().deviceId(), node.get("receivedAt").asLong(),
                    report);
            // A compacted topic may hand an older record after a newer one only across a rewind; keep the newer.
            latest.merge(device.get(), h, (old, neu) -> neu.receivedAt() >= old.receivedAt() ? neu : old);
        } catch (IOException e) {
            LOG.warn("Skipping an unreadable edge status of {}: {}", key, e.getMessage());
        }
    }
}
