package io.streamthings.ingest.sink;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.ingest.config.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@link TelemetrySink} on Kafka: stamped records to {@code telemetry.raw} keyed {@code tenant/deviceId} (so a
 * device's records stay in order on one partition), dead letters to {@code telemetry.dlq}. The producer is idempotent
 * with {@code acks=all}, so Kafka's own retries never duplicate and an acknowledged record is on every in-sync replica.
 */
public final class KafkaTelemetrySink implements TelemetrySink {

    private final Producer<String, byte[]> producer;
    private final TelemetryCodec codec;
    private final InFlightLimiter inFlight;

    /**
     * @param producer a producer made by {@link #producerConfig} (or a test double in unit tests); closed with the sink
     */
    public KafkaTelemetrySink(Producer<String, byte[]> producer, TelemetryCodec codec, InFlightLimiter inFlight) {
        this.producer = producer;
        this.codec = codec;
        this.inFlight = inFlight;
    }

    /** A sink with its own producer configured from the settings. */
    public static KafkaTelemetrySink create(KafkaSettings settings, TelemetryCodec codec, InFlightLimiter inFlight) {
        return new KafkaTelemetrySink(new KafkaProducer<>(producerConfig(settings, "ingest-telemetry")), codec,
                inFlight);
    }

    /** The configuration of an idempotent, acks=all producer of String keys and byte[] values. */
    public static Map<String, Object> producerConfig(KafkaSettings settings, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.getBootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, settings.getLingerMs());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.getBatchSizeBytes());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.getCompressionType());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, settings.getDeliveryTimeoutMs());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, settings.getDeliveryTimeoutMs()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.getMaxBlockMs());
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public CompletableFuture<Void> send(List<StampedTelemetry> records, Duration maxWait) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[][] values = new byte[records.size()][];
        long bytes = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = codec.encodeStamped(records.get(i));
            bytes += values[i].length;
        }
        if (!inFlight.tryAcquire(values.length, bytes, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
            return CompletableFuture.failedFuture(new SinkBusyException(
                    "too many records waiting for Kafka (" + inFlight.records() + " in flight)"));
        }
        Completion completion = new Completion(values.length);
        String topic = Topics.TELEMETRY_RAW.name();
        RuntimeException refused = null;
        for (int i = 0; i < values.length; i++) {
            Callback callback = completion.callback(values[i].length);
            if (refused != null) {
                // Kafka refused one already (no metadata within max.block.ms): do not block once per record.
                callback.onCompletion(null, refused);
                continue;
            }
            refused = sendOne(new ProducerRecord<>(topic, records.get(i).key(), values[i]), callback);
        }
        return completion.future;
    }

    @Override
    public CompletableFuture<Void> deadLetter(DeadLetter letter, Duration maxWait) {
        byte[] value = codec.encodeDeadLetter(letter);
        if (!inFlight.tryAcquire(1, value.length, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
            return CompletableFuture.failedFuture(new SinkBusyException("too many records waiting for Kafka"));
        }
        String key = letter.tenant() != null && letter.deviceId() != null
                ? Topics.deviceKey(letter.tenant(), letter.deviceId())
                : null;
        Completion completion = new Completion(1);
        sendOne(new ProducerRecord<>(Topics.TELEMETRY_DLQ.name(), key, value), completion.callback(value.length));
        return completion.future;
    }

    @Override
    public int inFlightRecords() {
        return inFlight.records();
    }

    @Override
    public long inFlightBytes() {
        return inFlight.bytes();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Sends one record; returns the exception when the producer refused it at once (its callback is then run). */
    private RuntimeException sendOne(ProducerRecord<String, byte[]> record, Callback callback) {
        try {
            producer.send(record, callback);
            return null;
        } catch (RuntimeException e) {
            // Metadata unavailable within max.block.ms, or the producer is closed: the callback is not called.
            callback.onCompletion(null, e);
            return e;
        }
    }

    /** Completes one future when every record of a call is acknowledged, releasing room record by record. */
    private final class Completion {
        private final CompletableFuture<Void> future = new CompletableFuture<>();
        private final AtomicInteger pending;

        Completion(int records) {
            this.pending = new AtomicInteger(records);
        }

        Callback callback(int size) {
            return (metadata, exception) -> {
                inFlight.release(1, size);
                if (exception != null) {
                    future.completeExceptionally(exception);
                } else if (pending.decrementAndGet() == 0) {
                    future.complete(null);
                }
            };
        }
    }
}
