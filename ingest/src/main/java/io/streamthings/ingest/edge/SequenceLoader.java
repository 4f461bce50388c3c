package io.streamthings.ingest.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a compacted topic from its start to the end it has when the read begins, no consumer group. */
final class SequenceLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SequenceLoader.class);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private SequenceLoader() {}

    /** Hands every record (tombstones skipped) to the reader; returns how many keys were read. */
    static int load(Map<String, Object> consumerConfig, String topic, BiConsumer<String, byte[]> reader) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int count = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = c.partitionsFor(topic, DEADLINE);
            if (infos == null || infos.isEmpty()) {
                LOG.warn("Topic {} not found: no edge sequences known", topic);
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, DEADLINE);
            while (System.nanoTime() < deadline) {
                boolean done = true;
                for (TopicPartition p : partitions) {
                    if (c.position(p) < end.get(p)) {
                        done = false;
                    }
                }
                if (done) {
                    return count;
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.value() != null) {
                        reader.accept(r.key(), r.value());
                        count++;
                    }
                }
            }
            LOG.warn("Topic {} not read to its end within {}: some edge duplicates may pass", topic, DEADLINE);
        }
        return count;
    }
}
