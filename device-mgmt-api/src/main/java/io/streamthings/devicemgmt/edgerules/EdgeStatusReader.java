package io.streamthings.devicemgmt.edgerules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import io.dropwizard.lifecycle.Managed;
import io.streamthings.kafka.CompactedTopicFollower;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every edge runtime's last health report, read from the compacted {@code edge.status} topic (from its
 * beginning, without a consumer group: every API instance needs all of it, and a restart finds the last reports
 * again). Ingest writes {@code {"tenant", "deviceId", "receivedAt", "report": {...}}} keyed by the device.
 */
public class EdgeStatusReader implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeStatusReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A runtime's last report, when ingest took it. */
    public record Health(String tenant, String deviceId, long receivedAt, JsonNode report) {}

    private final Map<DeviceKey, Health> latest = new ConcurrentHashMap<>();

    private final CompactedTopicFollower follower;

    public EdgeStatusReader(String bootstrapServers) {
        // The follower waits for the topic (the outbox publisher or ingest creates it) and, after a failure, reads it
        // again from its beginning: applying a report twice keeps the newer one.
        this.follower = CompactedTopicFollower.builder(bootstrapServers, Topics.EDGE_STATUS.name(), this::apply)
                .name("edge-status-reader")
                .retryAfter(Duration.ofSeconds(1))
                .build();
    }

    @Override
    public void start() {
        follower.start();
    }

    @Override
    public void stop() {
        follower.close();
    }

    /** The last report of every runtime of a tenant. */
    public List<Health> ofTenant(String tenant) {
        return latest.values().stream().filter(h -> h.tenant().equals(tenant)).toList();
    }

    public Optional<Health> of(String tenant, String deviceId) {
        return Optional.ofNullable(latest.get(DeviceKey.of(tenant, deviceId)));
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
