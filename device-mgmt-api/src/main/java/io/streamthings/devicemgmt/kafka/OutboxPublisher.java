package io.streamthings.devicemgmt.kafka;

import io.dropwizard.lifecycle.Managed;
import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.OutboxRow;
import io.streamthings.kafka.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox table to Kafka on one background thread: reads the oldest records, sends them with an idempotent
 * producer (acks=all), and deletes them only after Kafka acknowledged them. While Kafka is down the records wait in
 * PostgreSQL and the API carries on; a record may be sent twice after a crash, which a compacted topic and
 * idempotent consumers absorb.
 */
public class OutboxPublisher implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final int BATCH = 2_000;
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration MIN_GAP = Duration.ofMillis(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Jdbi jdbi;
    private final Admin admin;
    private final List<TopicSpec> topics;
    private final Properties producerConfig;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean running;
    private volatile boolean topicsReady;
    private boolean woken;
    private Thread thread;
    private Producer<String, byte[]> producer;

    public OutboxPublisher(Jdbi jdbi, Admin admin, List<TopicSpec> topics, String bootstrapServers, long maxBlockMs) {
        this.jdbi = jdbi;
        this.admin = admin;
        this.topics = topics;
        this.producerConfig = producerConfig(bootstrapServers, maxBlockMs);
    }

    static Properties producerConfig(String bootstrapServers, long maxBlockMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "device-mgmt-outbox");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public void start() {
        producer = new KafkaProducer<>(producerConfig);
        running = true;
        thread = new Thread(this::loop, "kafka-outbox-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the publisher to look at the outbox now rather than at its next poll. */
    public void wakeUp() {
        lock.lock();
        try {
            // Remembered, not only signalled: a wake-up while the publisher is draining or in its short gap (not yet
            // waiting) would otherwise be lost, and the new records would wait a whole idle poll (500 ms).
            woken = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        wakeUp();
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Records still waiting for Kafka. */
    public long pending() {
        return jdbi.onDemand(OutboxDao.class).pending();
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try {
                if (!topicsReady) {
                    topicsReady = TopicAdmin.ensure(admin, topics, Duration.ofSeconds(10));
                    if (!topicsReady) {
                        LOG.warn("Kafka topics not confirmed yet; retrying in {}", backoff);
                        pause(backoff);
                        backoff = next(backoff);
                        continue;
                    }
                }
                int sent = drainOnce();
                backoff = Duration.ofMillis(200);
                if (sent > 0 && sent < BATCH) {
                    // Under load every commit wakes us; a short gap lets the next drain carry many records.
                    LockSupport.parkNanos(MIN_GAP.toNanos());
                }
                if (sent < BATCH) {
                    pause(IDLE_POLL);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Publishing the outbox to Kafka failed; retrying in {}: {}", backoff, e.toString());
                pause(backoff);
                backoff = next(backoff);
            }
        }
    }

    /** Sends one batch and deletes what Kafka acknowledged; returns how many records were sent. */
    int drainOnce() throws InterruptedException {
        OutboxDao dao = jdbi.onDemand(OutboxDao.class);
        List<OutboxRow> rows = dao.oldest(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<?>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            acks.add(producer.send(new ProducerRecord<>(row.topic(), row.recordKey(), row.value())));
        }
        producer.flush();
        long[] done = new long[rows.size()];
        int n = 0;
        RuntimeException failure = null;
        for (int i = 0; i < rows.size(); i++) {
            try {
                acks.get(i).get(30, TimeUnit.SECONDS);
                done[n++] = rows.get(i).id();
            } catch (ExecutionException | TimeoutException e) {
                failure = new IllegalStateException("Kafka did not acknowledge record " + rows.get(i).id(), e);
                break; // later records of the same key must not overtake this one
            }
        }
        if (n > 0) {
            dao.delete(Arrays.copyOf(done, n));
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    private void pause(Duration duration) {
        lock.lock();
        try {
            if (running && !woken) {
                work.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }
}
