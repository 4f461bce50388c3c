package io.streamthings.devicemgmt.kafka;

import io.dropwizard.lifecycle.Managed;
import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.LastSeenUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code lastSeen} and {@code online} current from {@code device.events}: events of type {@code online},
 * {@code offline} and {@code seen} (written by ingest and the real-time job) are folded per device and applied in one
 * batch per poll. Other event types, including the ones this service writes, are skipped.
 */
public class DeviceActivityConsumer implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceActivityConsumer.class);

    private final Jdbi jdbi;
    private final Properties config;
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public DeviceActivityConsumer(Jdbi jdbi, String bootstrapServers) {
        this.jdbi = jdbi;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "device-mgmt-last-seen");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.config = p;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(config);
        running = true;
        thread = new Thread(this::loop, "device-activity-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(Topics.DEVICE_EVENTS.name()));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty()) {
                    continue;
                }
                Map<String, LastSeenUpdate> latest = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    parse(record.value()).ifPresent(u -> latest.merge(DeviceKey.of(u.tenant(), u.deviceId()).toString(), u,
                            (a, b) -> b.seenAt().isBefore(a.seenAt()) ? a : b));
                }
                if (!latest.isEmpty()) {
                    jdbi.onDemand(DeviceDao.class).updateLastSeen(List.copyOf(latest.values()));
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // stop() asked us to leave poll()
        } catch (RuntimeException e) {
            LOG.error("Device activity consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The update an activity event carries, or empty for any other event or unreadable input. */
    Optional<LastSeenUpdate> parse(byte[] value) {
        DeviceEvent event;
        try {
            event = Topics.DEVICE_EVENTS.decodeValue(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (event == null || !event.kind().isPresence()) {
            return Optional.empty();
        }
        Boolean online = switch (event.kind()) {
            case ONLINE -> Boolean.TRUE;
            case OFFLINE -> Boolean.FALSE;
            default -> null;
        };
        return Optional.of(new LastSeenUpdate(event.tenant(), event.deviceId(), Instant.ofEpochMilli(event.ts()),
                online));
    }
}
