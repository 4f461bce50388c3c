package io.streamthings.embedded.testkit;

import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic from its beginning to the end it has when asked, for assertions after an await. */
public final class TopicReader {

    private static final TelemetryCodec CODEC = new TelemetryCodec();

    private final String bootstrapServers;

    public TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Every record now on the topic, partition by partition, transactional ones whether committed or not. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return read(topic, "read_uncommitted");
    }

    /** Every record now on the topic that a committed transaction (or none) wrote, partition by partition. */
    public List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        return read(topic, "read_committed");
    }

    private List<ConsumerRecord<String, byte[]>> read(String topic, String isolation) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The stamped records on {@code telemetry.raw}. */
    public List<StampedTelemetry> telemetry() {
        return readAll(Topics.TELEMETRY_RAW.name()).stream().map(r -> CODEC.decodeStamped(r.value())).toList();
    }

    /** The stamped records of one device. */
    public List<StampedTelemetry> telemetryOf(String deviceId) {
        return telemetry().stream().filter(t -> t.deviceId().equals(deviceId)).toList();
    }

    /** The dead letters on {@code telemetry.dlq}. */
    public List<DeadLetter> deadLetters() {
        return readAll(Topics.TELEMETRY_DLQ.name()).stream().map(r -> CODEC.decodeDeadLetter(r.value())).toList();
    }

    /** The events on {@code device.events}, as text. */
    public List<String> deviceEvents() {
        return readAll(Topics.DEVICE_EVENTS.name()).stream()
                .map(r -> r.key() + " " + new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
