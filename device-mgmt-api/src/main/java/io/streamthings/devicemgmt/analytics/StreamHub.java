package io.streamthings.devicemgmt.analytics;

import io.streamthings.devicemgmt.errors.ApiException;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.devicemgmt.kafka.BackgroundConsumer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
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
public class StreamHub extends BackgroundConsumer {

    /** The two kinds of event, named as the SSE {@code event:} field and the {@code topics} parameter. */
    public enum Kind {
        /** Stamped telemetry records from {@code telemetry.raw}. */
        TELEMETRY("telemetry"),
        /** Alert firings from {@code alerts}. */
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

    private final int queueCapacity;
    private final int maxPerOwner;
    private final ConcurrentHashMap<String, Integer> perOwner = new ConcurrentHashMap<>();
    /** Re-checks every client's right to its stream; daemon so it never holds the JVM. */
    private final ScheduledExecutorService rechecks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stream-recheck");
        t.setDaemon(true);
        return t;
    });
    private final TelemetryCodec telemetryCodec = new TelemetryCodec();
    private final Set<StreamSubscription> subscribers = new CopyOnWriteArraySet<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final IngestRate ingestRate = new IngestRate(System::currentTimeMillis);
    /** One thread per connected client, writing its events; daemon threads so they never hold the JVM. */
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stream-client");
        t.setDaemon(true);
        return t;
    });

    /**
     * A hub on the given Kafka cluster.
     *
     * @param queueCapacity frames a client may have unwritten before it is dropped
     */
    public StreamHub(String bootstrapServers, int queueCapacity) {
        this(bootstrapServers, queueCapacity, Integer.MAX_VALUE, Duration.ofSeconds(30));
    }

    /**
     * A hub that lets one caller hold at most {@code maxPerOwner} streams at once and asks every client's
     * {@code stillAllowed} again every {@code recheck}, ending the streams of those no longer allowed (token expired
     * or revoked, device unshared, scope removed).
     */
    public StreamHub(String bootstrapServers, int queueCapacity, int maxPerOwner, Duration recheck) {
        super("stream-hub", config(bootstrapServers));
        this.queueCapacity = queueCapacity;
        this.maxPerOwner = maxPerOwner;
        rechecks.scheduleWithFixedDelay(this::recheck, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Properties config(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-stream");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Listing partitions must not create a topic as a side effect, with the broker's default partition count.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return p;
    }

    /** Stops the consumer and ends every client's stream. */
    @Override
    public void stop() throws InterruptedException {
        super.stop();
        for (StreamSubscription s : subscribers) {
            s.end();
        }
        subscribers.clear();
        perOwner.clear();
        rechecks.shutdownNow();
        pumps.shutdown();
    }

    /** Registers a client; records read from now on that pass its filter are queued for it. */
    public StreamSubscription subscribe(StreamFilter filter) {
        StreamSubscription s = new StreamSubscription(filter, queueCapacity);
        subscribers.add(s);
        return s;
    }

    /**
     * Registers a client of {@code owner}, re-checked with {@code stillAllowed}; 429 when the owner already holds the
     * most streams allowed.
     */
    public StreamSubscription subscribe(StreamFilter filter, String owner, BooleanSupplier stillAllowed) {
        boolean[] admitted = {false};
        perOwner.compute(owner, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerOwner) {
                return n;
            }
            admitted[0] = true;
            return held + 1;
        });
        if (!admitted[0]) {
            throw ApiException.retryLater(429, "at most " + maxPerOwner + " live streams at once per caller; close one",
                    5);
        }
        StreamSubscription s = new StreamSubscription(filter, queueCapacity, owner, stillAllowed);
        subscribers.add(s);
        return s;
    }

    /** Ends the streams of clients no longer allowed to receive them. */
    void recheck() {
        for (StreamSubscription s : subscribers) {
            if (!s.stillAllowed()) {
                unsubscribe(s);
                s.end();
                LOG.info("Ended a live stream of {}: its token or access is gone", s.owner());
            }
        }
    }

    /**
     * Sends a subscribed client its events on a thread of its own until it leaves (disconnects, is dropped or the hub
     * stops); then unsubscribes it and runs {@code done}. Waits first, briefly, for the consumer's first positions.
     */
    public void serve(StreamSubscription s, StreamSubscription.Sink sink, Duration heartbeat, Duration readyWait,
            Runnable done) {
        pumps.execute(() -> {
            try {
                awaitReady(readyWait);
                s.pump(sink, heartbeat);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                // The client went away: the normal end of a live stream.
                LOG.debug("Live-stream client left: {}", e.toString());
            } finally {
                unsubscribe(s);
                done.run();
            }
        });
    }

    /** Forgets a client (it disconnected or was dropped); safe to call twice. */
    public void unsubscribe(StreamSubscription s) {
        if (subscribers.remove(s) && s.owner() != null) {
            perOwner.computeIfPresent(s.owner(), (k, n) -> n <= 1 ? null : n - 1);
        }
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

    /** Records per second of each tenant, counted by this instance since it started. */
    public IngestRate ingestRate() {
        return ingestRate;
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
                unsubscribe(s);
                LOG.info("Dropped a live-stream client of tenant {} that read too slowly", s.filter().tenant());
            }
        }
    }

    /**
     * After a failure the consumer starts again from the end: a live view may skip what passed while Kafka was away.
     */
    @Override
    protected void consume(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> assigned = new HashSet<>();
        boolean first = true;
        long nextRefresh = 0;
        while (running()) {
            if (System.nanoTime() - nextRefresh >= 0) {
                refresh(c, assigned, first);
                first = false;
                ready.countDown();
                nextRefresh = System.nanoTime() + REFRESH.toNanos();
            }
            for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                if (r.topic().equals(Topics.TELEMETRY_RAW.name())) {
                    ingestRate.count(r.key());
                }
                dispatch(r.topic(), r.value());
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

}
