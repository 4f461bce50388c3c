package io.streamthings.devicemgmt.kafka;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest report of every rules-service instance about every rule, read from the compacted
 * {@code rule.status} topic (from its beginning, without a consumer group: every API instance needs all of it).
 */
public class RuleStatusReader extends BackgroundConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RuleStatusReader.class);

    private final Map<String, Map<String, RuleStatus>> byRule = new ConcurrentHashMap<>();

    public RuleStatusReader(String bootstrapServers) {
        super("rule-status-reader", config(bootstrapServers));
    }

    private static Properties config(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-rule-status");
        return p;
    }

    /** The latest report of each instance about a tenant's rule, keyed by instance. */
    public Map<String, RuleStatus> reports(String tenant, String name) {
        return Map.copyOf(byRule.getOrDefault(RuleDefinition.key(tenant, name), Map.of()));
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> c) throws InterruptedException {
        List<TopicPartition> tps = c.partitionsFor(Topics.RULE_STATUS.name(), Duration.ofSeconds(30))
                .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        if (tps.isEmpty()) {
            // Not created yet (the outbox publisher creates it): look again shortly.
            Thread.sleep(1_000);
            return;
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        while (running()) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                apply(r);
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
