package io.streamthings.common.kafka;

import java.util.Objects;

/**
 * A Kafka topic of the platform: its name, its default partition count in standalone mode, and whether it is compacted.
 *
 * @param name the topic name
 * @param partitions partitions created in standalone mode (a cluster may have more)
 * @param compacted true for a table-like topic that keeps the latest value per key
 */
public record TopicSpec(String name, int partitions, boolean compacted) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
    }
}
