package io.streamthings.devicemgmt.analytics;

import io.dropwizard.lifecycle.Managed;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * The live feed behind {@code GET /stream}: one Kafka consumer per service instance reads {@code telemetry.raw} and
 * {@code alerts} and fans each record out to the subscribed clients whose filter it passes.
 *
 * <p>Why no consumer group: every instance must see every record (its clients may want any device), and a live view
 * has no use for committed offsets; so the consumer assigns itself all partitions and starts at their end. Partitions
 * of a topic that appears later (or grows) are read from their beginning: everything in them is newer than the hub.
 * A record is decoded once, then offered to each client's bounded queue without waiting ({@link StreamSubscription}).
 */
public class StreamHub implements Managed {

    /** The two kinds of event, named as the SSE {@code event:} field and the {@code topics} parameter. */
    public enum Kind {
        TELEMETRY("telemetry"),
        ALERTS("alerts");

        private final String eventName;

        Kind(String eventName) {
            this.eventName = eventName;
        }

        /** {@code telemetry} or {@code alerts}. */
        public String eventName() {
            return eventName;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final int queueCapacity;
    private final TelemetryCodec telemetryCodec = new TelemetryCodec();
    private final Set<StreamSubscription> subscribers = new CopyOnWriteArraySet<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * A hub on the given Kafka cluster.
     *
     * @param queueCapacity frames a client may have unwritten before it is dropped
     */
    public StreamHub(String bootstrapServers, int queueCapacity) {
        this.bootstrapServers = bootstrapServers;
        this.queueCapacity = queueCapacity;
    }

    /** Starts the consumer on its own thread; returns at once, even when Kafka is down. */
    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "stream-hub");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the consumer and ends every client's stream. */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
        for (StreamSubscription s : subscribers) {
            s.end();
        }
        subscribers.clear();
    }

    /** Registers a client; records read from now on that pass its filter are queued for it. */
    public StreamSubscription subscribe(StreamFilter filter) {
        StreamSubscription s = new StreamSubscription(filter, queueCapacity);
        subscribers.add(s);
        return s;
    }

    /** Forgets a client (it disconnected or was dropped); safe to call twice. */
    public void unsubscribe(StreamSubscription s) {
        subscribers.remove(s);
    }

    /** How many clients are subscribed. */
    public int subscriberCount() {
        return subscribers.size();
    }

    /**
     * Waits until the consumer holds its first positions, so that a client connecting right after the start misses
     * nothing produced after it connected; false when that did not happen in time (Kafka down).
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Decodes one record and queues it for every client it concerns; a client whose queue is full is dropped. */
    void dispatch(String topic, byte[] value) {
        Kind kind = topic.equals(Topics.TELEMETRY_RAW.name()) ? Kind.TELEMETRY
                : topic.equals(Topics.ALERTS.name()) ? Kind.ALERTS : null;
        if (kind == null || value == null || subscribers.isEmpty()) {
            return;
        }
        String tenant;
        String deviceId;
        String json;
        try {
            if (kind == Kind.TELEMETRY) {
                StampedTelemetry t = telemetryCodec.decodeStamped(value);
                tenant = t.tenant();
                deviceId = t.deviceId();
                json = new String(telemetryCodec.encodeStamped(t), StandardCharsets.UTF_8);
            } else {
                AlertEvent a = AlertCodec.decode(value);
                tenant = a.tenant();
                deviceId = a.deviceId();
                json = new String(AlertCodec.encode(a), StandardCharsets.UTF_8);
            }
        } catch (RuntimeException e) {
            // Ingest and the rules service validate what they produce; a record that still does not decode is
            // theirs to report, and a live view just skips it.
            LOG.debug("Skipping an undecodable {} record: {}", topic, e.toString());
            return;
        }
        String frame = null;
        for (StreamSubscription s : subscribers) {
            if (!s.filter().accepts(kind, tenant, deviceId)) {
                continue;
            }
            if (frame == null) {
                frame = StreamSubscription.frame(kind.eventName(), json);
            }
            if (!s.offer(frame)) {
                subscribers.remove(s);
                LOG.info("Dropped a live-stream client of tenant {} that read too slowly", s.filter().tenant());
            }
        }
    }

    private void loop() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-stream");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Listing partitions must not create a topic as a side effect, with the broker's default partition count.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        boolean first = true;
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p,
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                Set<TopicPartition> assigned = new HashSet<>();
                long nextRefresh = 0;
                while (running) {
                    if (System.nanoTime() - nextRefresh >= 0) {
                        refresh(c, assigned, first);
                        first = false;
                        ready.countDown();
                        nextRefresh = System.nanoTime() + REFRESH.toNanos();
                    }
                    for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                        dispatch(r.topic(), r.value());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    // A live view may skip what passed while Kafka was away; reconnect and go on from the end.
                    LOG.warn("Live-stream consumer failed, restarting: {}", e.toString());
                    first = true;
                    pause();
                }
            }
        }
    }

    /** Assigns every partition of both topics; new ones start at their end on the first pass, else at the start. */
    private static void refresh(KafkaConsumer<String, byte[]> c, Set<TopicPartition> assigned, boolean first) {
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : List.of(Topics.TELEMETRY_RAW.name(), Topics.ALERTS.name())) {
            List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions != null) {
                partitions.forEach(pi -> found.add(new TopicPartition(pi.topic(), pi.partition())));
            }
        }
        List<TopicPartition> added = found.stream().filter(tp -> !assigned.contains(tp)).toList();
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        c.assign(assigned);
        if (first) {
            c.seekToEnd(added);
        } else {
            c.seekToBeginning(added);
        }
        // Resolve the positions now, so that "ready" means records produced from here on will be read.
        added.forEach(c::position);
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
