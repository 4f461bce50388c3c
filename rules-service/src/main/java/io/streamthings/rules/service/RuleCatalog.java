package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code rules} topic (the registry's deployments) on a thread of its own: the catalog of rule
 * definitions by key {@code tenant/name}, and the keys that changed since the poll loop last asked. Loaded once the
 * topic has been read to the end it had when the follower started.
 */
final class RuleCatalog implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleCatalog.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    /** A key whose definition changed: the definition now, or null once it is removed. */
    record Change(String key, RuleDefinition definition) {}

    private final String bootstrapServers;
    private final Map<String, RuleDefinition> catalog = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> changedKeys = new ConcurrentLinkedQueue<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    RuleCatalog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Waits until the topic has been read to its end; false on timeout. */
    boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The next key that changed, with its definition as the catalog holds it now (so a key changed twice is seen
     * with its latest definition, once per change); null when none is waiting.
     */
    Change nextChange() {
        String key = changedKeys.poll();
        return key == null ? null : new Change(key, catalog.get(key));
    }

    /** Stops following; the thread ends within a poll. */
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /**
     * Applies one record of the rules topic: a definition, or a tombstone (null) that removes the key. A record
     * without a key is not a rule; one that does not decode is skipped with a warning and changes nothing.
     */
    void apply(String key, byte[] value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            catalog.remove(key);
        } else {
            try {
                catalog.put(key, CatalogCodec.decodeDefinition(value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping an unreadable rule record {}: {}", key, e.getMessage());
                return;
            }
        }
        changedKeys.add(key);
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        while (running) {
            try (KafkaConsumer<String, byte[]> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> tps = c.partitionsFor(Topics.RULES.name(), KAFKA_TIMEOUT).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (tps.isEmpty()) {
                    RulesTopics.ensure(bootstrapServers);
                    continue;
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                Map<TopicPartition, Long> end = c.endOffsets(tps, KAFKA_TIMEOUT);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        apply(r.key(), r.value());
                    }
                    if (loaded.getCount() > 0 && end.entrySet().stream()
                            .allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        LOG.info("Rule catalog loaded: {} rules", catalog.size());
                        loaded.countDown();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading the rule catalog failed, retrying: {}", e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
