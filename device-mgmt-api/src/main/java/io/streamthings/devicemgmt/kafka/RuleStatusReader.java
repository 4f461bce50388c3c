package io.streamthings.devicemgmt.kafka;

import io.dropwizard.lifecycle.Managed;
import io.streamthings.common.kafka.Topics;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.catalog.RuleStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
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
 * Keeps the latest report of every rules-service instance about every rule, read from the compacted
 * {@code rule.status} topic (from its beginning, without a consumer group: every API instance needs all of it).
 */
public class RuleStatusReader implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RuleStatusReader.class);

    private final String bootstrapServers;
    private final Map<String, Map<String, RuleStatus>> byRule = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public RuleStatusReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The latest report of each instance about a tenant's rule, keyed by instance. */
    public Map<String, RuleStatus> reports(String tenant, String name) {
        return Map.copyOf(byRule.getOrDefault(RuleDefinition.key(tenant, name), Map.of()));
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "rule-status-reader");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    private void loop() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-rule-status");
        while (running) {
            try (KafkaConsumer<String, byte[]> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> tps = c.partitionsFor(Topics.RULE_STATUS.name(), Duration.ofSeconds(30))
                        .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (tps.isEmpty()) {
                    // Not created yet (the outbox publisher creates it): look again shortly.
                    Thread.sleep(1_000);
                    continue;
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                }
            } catch (WakeupException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading rule.status failed, retrying: {}", e.toString());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        int cut = r.key().lastIndexOf('/');
        if (cut < 0) {
            return;
        }
        String rule = r.key().substring(0, cut);
        String instance = r.key().substring(cut + 1);
        if (r.value() == null) {
            byRule.computeIfPresent(rule, (k, m) -> {
                m.remove(instance);
                return m.isEmpty() ? null : m;
            });
            return;
        }
        try {
            RuleStatus status = CatalogCodec.decodeStatus(r.value());
            byRule.computeIfAbsent(rule, k -> new ConcurrentHashMap<>()).put(instance, status);
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping an unreadable rule status {}: {}", r.key(), e.getMessage());
        }
    }
}
