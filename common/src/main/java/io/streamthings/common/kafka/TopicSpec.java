package io.streamthings.common.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic of the platform as the broker sees it: its name, its default partition count in standalone mode,
 * whether it is compacted and its largest record. A {@link Topic} adds the codecs of its keys and values.
 *
 * <p>A class rather than a record so that a {@link Topic} can be one; immutable, equal by its four fields.
 */
public class TopicSpec {

    private final String name;
    private final int partitions;
    private final boolean compacted;
    private final int maxMessageBytes;

    /**
     * @param name the topic name
     * @param partitions partitions created in standalone mode (a cluster may have more)
     * @param compacted true for a table-like topic that keeps the latest value per key
     * @param maxMessageBytes the topic's largest record batch, or 0 for the broker's default (about 1 MB)
     */
    public TopicSpec(String name, int partitions, boolean compacted, int maxMessageBytes) {
        this.name = Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must not be negative, got " + maxMessageBytes);
        }
        this.partitions = partitions;
        this.compacted = compacted;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A topic with the broker's default record size. */
    public TopicSpec(String name, int partitions, boolean compacted) {
        this(name, partitions, compacted, 0);
    }

    /** The topic name. */
    public final String name() {
        return name;
    }

    /** Partitions created in standalone mode (a cluster may have more). */
    public final int partitions() {
        return partitions;
    }

    /** True for a table-like topic that keeps the latest value per key. */
    public final boolean compacted() {
        return compacted;
    }

    /** The topic's largest record batch, or 0 for the broker's default (about 1 MB). */
    public final int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** The topic-level configs to create the topic with. */
    public final Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        if (compacted) {
            configs.put("cleanup.policy", "compact");
        }
        if (maxMessageBytes > 0) {
            configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        }
        return configs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSpec t && t.getClass() == getClass() && name.equals(t.name)
                && partitions == t.partitions && compacted == t.compacted && maxMessageBytes == t.maxMessageBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, partitions, compacted, maxMessageBytes);
    }

    @Override
    public String toString() {
        return "TopicSpec[name=" + name + ", partitions=" + partitions + ", compacted=" + compacted
                + ", maxMessageBytes=" + maxMessageBytes + "]";
    }
}
