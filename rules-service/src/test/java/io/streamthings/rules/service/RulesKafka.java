package io.streamthings.rules.service;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.catalog.RuleStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The outside of the rules service, as the registry and ingest see it: publishes rule definitions and stamped
 * telemetry, and collects every alert and rule status that comes out.
 */
final class RulesKafka implements AutoCloseable {

    private final TelemetryCodec codec = new TelemetryCodec();
    private final KafkaProducer<String, byte[]> producer;
    private final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();
    private final List<io.streamthings.common.telemetry.DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final Map<String, RuleStatus> statuses = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    RulesKafka(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new java.util.ArrayList<>();
        for (var spec : List.of(Topics.ALERTS, Topics.RULE_STATUS, Topics.ALERTS_DLQ)) {
            for (int i = 0; i < spec.partitions(); i++) {
                tps.add(new TopicPartition(spec.name(), i));
            }
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        reader = new Thread(this::read, "test-alert-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(Topics.ALERTS.name())) {
                        alerts.add(Topics.ALERTS.decodeValue(r.value()));
                    } else if (r.topic().equals(Topics.ALERTS_DLQ.name())) {
                        deadLetters.add(codec.decodeDeadLetter(r.value()));
                    } else if (r.value() == null) {
                        statuses.remove(r.key());
                    } else {
                        statuses.put(r.key(), CatalogCodec.decodeStatus(r.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    void deploy(String tenant, String name, int version, String app) {
        RuleDefinition d = new RuleDefinition(tenant, name, version, app, System.currentTimeMillis());
        send(Topics.RULES.name(), d.key(), CatalogCodec.encode(d));
    }

    void undeploy(String tenant, String name) {
        send(Topics.RULES.name(), RuleDefinition.key(tenant, name), null);
    }

    /** One stamped record of a device with the given metrics (and tags), at event time ts. */
    void telemetry(String tenant, String deviceId, long ts, Map<String, Double> metrics, Map<String, String> tags) {
        StampedTelemetry t = new StampedTelemetry(tenant, "thermo", deviceId, System.currentTimeMillis(),
                new TelemetryRecord(ts, metrics, tags));
        send(Topics.TELEMETRY_RAW.name(), t.key(), codec.encodeStamped(t));
    }

    void temperature(String tenant, String deviceId, long ts, double temperature) {
        telemetry(tenant, deviceId, ts, Map.of("temperature", temperature), Map.of());
    }

    void raw(String key, byte[] value) {
        send(Topics.TELEMETRY_RAW.name(), key, value);
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Every alert seen so far of a tenant's rule. */
    List<AlertEvent> alerts(String tenant, String rule) {
        return alerts.stream().filter(a -> a.tenant().equals(tenant) && a.rule().equals(rule)).toList();
    }

    /** Every dead letter on alerts.dlq of a tenant so far. */
    List<io.streamthings.common.telemetry.DeadLetter> deadLetters(String tenant) {
        return deadLetters.stream().filter(d -> tenant.equals(d.tenant())).toList();
    }

    List<AlertEvent> alerts(String tenant) {
        return alerts.stream().filter(a -> a.tenant().equals(tenant)).toList();
    }

    /** The latest status reports of a tenant's rule, by instance. */
    List<RuleStatus> statuses(String tenant, String rule) {
        String prefix = RuleDefinition.key(tenant, rule) + "/";
        return statuses.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .toList();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
