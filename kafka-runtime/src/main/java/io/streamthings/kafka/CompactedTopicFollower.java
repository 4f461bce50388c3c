package io.streamthings.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
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
 * Reads a compacted topic from its beginning and follows it from then on, in a daemon thread of its own, so that a
 * service can keep the whole table in memory (device credentials, rule catalog).
 *
 * <p>The follower assigns itself every partition (no consumer group: each instance needs the whole table), waiting
 * for the topic to exist, and counts as caught up once it has read up to the end offsets it found at start. Until then
 * the table holds what has been read so far; {@link #awaitCaughtUp} lets start-up wait for the rest.
 *
 * <p>Records reach the handler on the follower's thread, in order per partition; a tombstone has a null value. A
 * handler skips what it cannot read (with a warning) rather than throw. An exception (the handler's, or the client's)
 * stops the follower, unless {@link Builder#retryAfter} is set: then it reads the topic again from its beginning with a
 * fresh consumer after that pause, so the handler must take a record it has seen before (a table does).
 */
public final class CompactedTopicFollower implements AutoCloseable {

    /** Takes one record of the topic. */
    @FunctionalInterface
    public interface RecordHandler {
        /**
         * @param key the record's key, may be null
         * @param value the record's value; null for a tombstone
         */
        void apply(String key, byte[] value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PARTITIONS_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(30);
    private static final long MISSING_TOPIC_RETRY_MS = 500;

    private final String topic;
    private final RecordHandler handler;
    private final Runnable onCaughtUp;
    private final Duration retryAfter;
    private final Properties consumerConfig;
    private final String threadName;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running;
    private boolean closed;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    private CompactedTopicFollower(Builder b) {
        this.topic = b.topic;
        this.handler = b.handler;
        this.onCaughtUp = b.onCaughtUp;
        this.retryAfter = b.retryAfter;
        this.threadName = b.threadName;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, b.threadName);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(b.extraConfig);
        this.consumerConfig = p;
    }

    /**
     * A follower of {@code topic} on the given Kafka that hands every record to {@code handler}.
     *
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(String bootstrapServers, String topic, RecordHandler handler) {
        return new Builder(bootstrapServers, topic, handler);
    }

    /** Starts following the topic in a daemon thread; a second call, or a call after {@link #close}, does nothing. */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        running = true;
        consumer = new KafkaConsumer<>(consumerConfig);
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The topic followed. */
    public String topic() {
        return topic;
    }

    /** True once everything that was on the topic at start has been handed to the handler. */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /**
     * Waits until the follower has caught up.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops following the topic and waits (up to 10 s) for the thread to end; a second call does nothing. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            t = thread;
        }
        closing.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        KafkaConsumer<String, byte[]> c = consumer;
        while (true) {
            try {
                follow(c);
                return;
            } catch (WakeupException e) {
                return; // close() asked us to leave poll()
            } catch (RuntimeException e) {
                if (retryAfter == null) {
                    LOG.error("Stopped following {}", topic, e);
                    return;
                }
                LOG.warn("Following {} failed; reading it again from its beginning in {}: {}", topic, retryAfter,
                        e.toString());
            } finally {
                c.close(Duration.ofSeconds(5));
            }
            try {
                if (closing.await(retryAfter.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            c = new KafkaConsumer<>(consumerConfig);
            consumer = c;
            if (!running) {
                c.close(Duration.ZERO);
                return;
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        Map<TopicPartition, Long> target = assignAll(c);
        if (isCaughtUp()) {
            target = null; // a retry after the signal: the table is read again, the signal is not given twice
        }
        while (running) {
            for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                handler.apply(record.key(), record.value());
            }
            if (target != null && reached(c, target)) {
                target = null;
                caughtUp.countDown();
                onCaughtUp.run();
            }
        }
    }

    /** Assigns every partition, waiting for the topic to exist; returns the end offsets to reach, null if closed. */
    private Map<TopicPartition, Long> assignAll(KafkaConsumer<String, byte[]> c) {
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = c.partitionsFor(topic, PARTITIONS_TIMEOUT);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = toPartitions(infos);
                c.assign(partitions);
                c.seekToBeginning(partitions);
                return new HashMap<>(c.endOffsets(partitions, END_OFFSETS_TIMEOUT));
            }
            LOG.info("Waiting for topic {} to exist", topic);
            try {
                Thread.sleep(MISSING_TOPIC_RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * Reads a compacted topic once, from its beginning to the end offsets it has now, with a consumer of the caller's
     * (which it assigns to every partition of the topic), and returns; for a reader that needs the table once, at
     * start, rather than followed.
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public static void readToEnd(Consumer<String, byte[]> consumer, String topic, Duration timeout,
            RecordHandler handler) {
        List<TopicPartition> partitions = toPartitions(consumer.partitionsFor(topic, timeout));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(consumer, end)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(topic + " not read to its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                handler.apply(r.key(), r.value());
            }
        }
    }

    /** True when the consumer's position in every partition has reached the given end offset. */
    public static boolean reached(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static List<TopicPartition> toPartitions(List<PartitionInfo> infos) {
        List<TopicPartition> partitions = new ArrayList<>(infos == null ? 0 : infos.size());
        if (infos != null) {
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        return partitions;
    }

    /** Options of a follower; {@link #build} makes it, {@link CompactedTopicFollower#start} starts it. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String topic;
        private final RecordHandler handler;
        private Runnable onCaughtUp = () -> {};
        private Duration retryAfter;
        private String threadName;
        private final Map<String, Object> extraConfig = new HashMap<>();

        private Builder(String bootstrapServers, String topic, RecordHandler handler) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            this.topic = Objects.requireNonNull(topic, "topic");
            this.handler = Objects.requireNonNull(handler, "handler");
            this.threadName = topic + "-follower";
        }

        /** The thread's name, also the consumer's client id; {@code <topic>-follower} by default. */
        public Builder name(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Run once on the follower's thread when it has caught up (e.g. to log the table's size); must not block. */
        public Builder onCaughtUp(Runnable action) {
            this.onCaughtUp = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * After a failure, read the topic again from its beginning with a fresh consumer after this pause, instead of
         * stopping.
         */
        public Builder retryAfter(Duration pause) {
            this.retryAfter = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /** A consumer setting over the follower's own (e.g. larger fetches for a topic of large records). */
        public Builder consumerConfig(String key, Object value) {
            extraConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The follower, not started. */
        public CompactedTopicFollower build() {
            return new CompactedTopicFollower(this);
        }
    }
}
