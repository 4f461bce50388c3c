package io.streamthings.common.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic of the platform: its name, its default partition count in standalone mode, and whether it is compacted.
 *
 * @param name the topic name
 * @param partitions partitions created in standalone mode (a cluster may have more)
 * @param compacted true for a table-like topic that keeps the latest value per key
 * @param maxMessageBytes the topic's largest record batch, or 0 for the broker's default (about 1 MB)
 */
public record TopicSpec(String name, int partitions, boolean compacted, int maxMessageBytes) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must not be negative, got " + maxMessageBytes);
        }
    }

    /** A topic with the broker's default record size. */
    public TopicSpec(String name, int partitions, boolean compacted) {
        this(name, partitions, compacted, 0);
    }

    /** The topic-level configs to create the topic with. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        if (compacted) {
            configs.put("cleanup.policy", "compact");
        }
        if (maxMessageBytes > 0) {
            configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        }
        return configs;
    }
}
