package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.kafka.CompactedTopicFollower;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Siddhi state per input partition on the compacted {@code rules.state} topic: one record per input partition
 * (of telemetry.raw, or of rules.by-tenant) holding the next offset to read and every rule's state as of that offset. Keeping the offset inside
 * the snapshot makes the pair atomic, so whoever owns the partition next (this process after a restart, or another
 * instance after a rebalance) restores the state and resumes exactly after the records it covers.
 */
final class SnapshotStore {

    /** The state of one partition's rules as of {@code nextOffset}; rule keys are {@code tenant/name}. */
    record PartitionSnapshot(TopicPartition partition, long nextOffset, Map<String, RuleState> rules) {}

    /** One rule's Siddhi state; restored only into the same version of the rule. */
    record RuleState(int version, byte[] state) {}

    private static final int FORMAT = 1;

    private final String bootstrapServers;
    private final String groupId;
    private final Producer<String, byte[]> producer;

    SnapshotStore(String bootstrapServers, String groupId, Producer<String, byte[]> producer) {
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.producer = producer;
    }

    /** Sends a snapshot; the caller flushes the producer before it commits offsets. */
    void write(PartitionSnapshot snapshot) {
        producer.send(new ProducerRecord<>(Topics.RULES_STATE.name(), key(snapshot.partition()), encode(snapshot)));
    }

    /**
     * Reads the latest snapshot of each given input partition: the whole compacted topic, which holds one record per
     * input partition and group.
     */
    Map<TopicPartition, PartitionSnapshot> read(Collection<TopicPartition> partitions, Duration timeout) {
        Map<String, TopicPartition> wanted = new HashMap<>();
        partitions.forEach(tp -> wanted.put(key(tp), tp));
        Map<TopicPartition, PartitionSnapshot> latest = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.RULES_STATE.maxMessageBytes());
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.RULES_STATE.maxMessageBytes());
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            CompactedTopicFollower.readToEnd(consumer, Topics.RULES_STATE.name(), timeout, (key, value) -> {
                TopicPartition partition = wanted.get(key);
                if (partition == null) {
                    return;
                }
                if (value == null) {
                    latest.remove(partition);
                } else {
                    latest.put(partition, decode(partition, value));
                }
            });
        }
        return latest;
    }

    private String key(TopicPartition partition) {
        return groupId + "/" + partition.topic() + "/" + partition.partition();
    }

    static byte[] encode(PartitionSnapshot snapshot) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeLong(snapshot.nextOffset());
            out.writeInt(snapshot.rules().size());
            for (Map.Entry<String, RuleState> e : snapshot.rules().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().version());
                out.writeInt(e.getValue().state().length);
                out.write(e.getValue().state());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static PartitionSnapshot decode(TopicPartition partition, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown rules.state format " + format);
            }
            long nextOffset = in.readLong();
            int count = in.readInt();
            Map<String, RuleState> rules = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                int version = in.readInt();
                byte[] state = new byte[in.readInt()];
                in.readFully(state);
                rules.put(key, new RuleState(version, state));
            }
            return new PartitionSnapshot(partition, nextOffset, rules);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt rules.state record for partition " + partition, e);
        }
    }
}
