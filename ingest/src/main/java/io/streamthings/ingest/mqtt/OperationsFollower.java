package io.streamthings.ingest.mqtt;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
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
 * Follows the {@code operations} topic from its end, every partition (no consumer group: each MQTT server instance
 * delivers to the devices connected to it, so each needs every operation), and hands each operation on.
 */
final class OperationsFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsFollower.class);

    private final Properties config = new Properties();
    private final Consumer<OperationMessage> sink;
    private volatile boolean running;
    private volatile boolean ready;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    OperationsFollower(String bootstrap, Consumer<OperationMessage> sink) {
        this.sink = sink;
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-mqtt-operations");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    synchronized void start() {
        running = true;
        consumer = new KafkaConsumer<>(config);
        thread = new Thread(this::loop, "mqtt-operations");
        thread.setDaemon(true);
        thread.start();
    }

    boolean ready() {
        return ready;
    }

    private void loop() {
        KafkaConsumer<String, byte[]> c = consumer;
        String topic = Topics.OPERATIONS.name();
        try {
            while (running && !ready) {
                List<PartitionInfo> infos;
                try {
                    infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    infos = List.of();
                }
                if (infos == null || infos.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                for (TopicPartition p : partitions) {
                    c.position(p); // resolve the end now, so that what is produced after ready() is read
                }
                ready = true;
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    try {
                        sink.accept(OperationCodec.decodeOperation(r.value()));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("Skipping an unreadable operation at {}-{}@{}: {}", topic, r.partition(), r.offset(),
                                e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to leave poll()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Stopped following {}", topic, e);
        } finally {
            c.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
