package io.streamthings.ingest.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.edge.EdgeBatch;
import io.streamthings.common.edge.EdgeBatchCodec;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.common.telemetry.TelemetryValidationException;
import io.streamthings.ingest.core.IngestPipeline;
import io.streamthings.ingest.sink.TelemetrySink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What edge runtimes publish besides telemetry and their operations' statuses (which the MQTT server takes from any
 * device), taken from the device's own MQTT topics (identity stamped from its
 * credentials, never from the payload):
 *
 * <ul>
 *   <li>{@code devices/{id}/edge/records}: an {@link EdgeBatch} of alerts (to {@code alerts}, source {@code edge})
 *       and downsampled telemetry (to {@code telemetry.raw}). <b>Duplicates are dropped by sequence</b>: the last
 *       sequence taken per device and queue epoch is kept here and, once a batch is in Kafka, on the compacted
 *       {@code edge.sequences} topic, which {@link #start} reads back, so a resend after an ingest restart is dropped
 *       too. A record whose sequence is not above the last is acknowledged and not forwarded;
 *   <li>{@code devices/{id}/edge/status}: the runtime's health report, wrapped with the device's identity, to the
 *       compacted {@code edge.status}.
 * </ul>
 *
 * The returned futures complete once Kafka has everything, so the MQTT server answers PUBACK only then. A payload that
 * is not what its topic expects goes to {@code telemetry.dlq} with the reason, and is acknowledged.
 *
 * <p>What it does not guarantee: a batch Kafka takes in part (its alerts in, its sequence record not) is sent again
 * whole by the device, and the part Kafka had is then there twice; Kafka offers no transaction across these topics here.
 */
public final class EdgeUplink {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeUplink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SINK_WAIT = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;
    private final TelemetrySink sink;
    private final IngestPipeline pipeline;
    private final TelemetryCodec codec;
    /** Per {@code tenant/deviceId}: the last sequence taken, and the epoch it belongs to. */
    private final Map<String, Last> last = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    /**
     * Per device, the last batch taken and not yet settled: the next waits for it, so that a batch sent again while
     * the first is still on its way to Kafka is checked against the sequence the first leaves, not the one before.
     */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    /**
     * Where the steps after a Kafka acknowledgement run: never on the producer's own network thread, which a send
     * from its callback would block while it waits for metadata only that thread can fetch.
     */
    private final ExecutorService after = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ingest-edge-uplink");
        t.setDaemon(true);
        return t;
    });

    record Last(String epoch, long seq) {}

    public EdgeUplink(Producer<String, byte[]> producer, TelemetrySink sink, IngestPipeline pipeline) {
        this.producer = producer;
        this.sink = sink;
        this.pipeline = pipeline;
        this.codec = pipeline.codec();
    }

    /** True for the topics (below {@code devices/{id}/}) this class takes. */
    public static boolean accepts(String subtopic) {
        return subtopic.equals("edge/records") || subtopic.equals("edge/status");
    }

    /**
     * Reads {@code edge.sequences} to its end, so that duplicates sent before a restart are known.
     *
     * @param consumerConfig a consumer's settings (bootstrap servers and deserializers of String keys, byte values)
     */
    public void start(Map<String, Object> consumerConfig) {
        long started = System.currentTimeMillis();
        int n = SequenceLoader.load(consumerConfig, Topics.EDGE_SEQUENCES.name(), (key, value) -> {
            String text = new String(value, StandardCharsets.UTF_8);
            int colon = text.lastIndexOf(':');
            if (colon > 0) {
                try {
                    last.put(key, new Last(text.substring(0, colon), Long.parseLong(text.substring(colon + 1))));
                } catch (NumberFormatException e) {
                    LOG.warn("Skipping an unreadable sequence of {}: {}", key, text);
                }
            }
        });
        LOG.info("Edge sequences of {} device(s) read in {} ms", n, System.currentTimeMillis() - started);
    }

    /** Records dropped as duplicates since start. */
    public long duplicates() {
        return duplicates.get();
    }

    /** The last sequence taken from a device in an epoch, 0 when none. */
    public long lastSequence(String tenant, String deviceId, String epoch) {
        Last l = last.get(Topics.deviceKey(tenant, deviceId));
        return l != null && l.epoch().equals(epoch) ? l.seq() : 0;
    }

    /**
     * Takes one message.
     *
     * @param subtopic the topic below {@code devices/{id}/}, one {@link #accepts} took
     * @return completes once Kafka has all of it
     */
    public CompletableFuture<Void> handle(DeviceIdentity device, String subtopic, byte[] payload, long receivedAt) {
        try {
            if (subtopic.equals("edge/records")) {
                return records(device, payload, receivedAt);
            }
            return status(device, payload, receivedAt);
        } catch (IllegalArgumentException e) {
            return deadLetter(device, subtopic + ": " + e.getMessage(), payload, receivedAt);
        }
    }

    private CompletableFuture<Void> records(DeviceIdentity device, byte[] payload, long receivedAt) {
        EdgeBatch batch = EdgeBatchCodec.decode(payload);
        String key = Topics.deviceKey(device.tenant(), device.deviceId());
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, mine);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .handleAsync((v, e) -> records(device, key, batch, receivedAt), after)
                .thenCompose(f -> f)
                .whenComplete((v, e) -> {
                    tails.remove(key, mine);
                    if (e != null) {
                        mine.completeExceptionally(e);
                    } else {
                        mine.complete(null);
                    }
                });
        return mine;
    }

    private CompletableFuture<Void> records(DeviceIdentity device, String key, EdgeBatch batch, long receivedAt) {
        Last known = last.get(key);
        long floor = known != null && known.epoch().equals(batch.epoch()) ? known.seq() : 0;
        List<CompletableFuture<?>> sent = new ArrayList<>();
        List<StampedTelemetry> telemetry = new ArrayList<>();
        long max = floor;
        for (EdgeBatch.Entry e : batch.records()) {
            if (e.seq() <= max) {
                duplicates.incrementAndGet();
                continue;
            }
            max = e.seq();
            try {
                if (e.kind() == EdgeBatch.Kind.ALERT) {
                    AlertEvent a = AlertCodec.decode(e.json());
                    AlertEvent stamped = new AlertEvent(device.tenant(), "edge", a.rule(), device.deviceId(),
                            a.severity(), a.message(), a.ts(), a.firedAt() == 0 ? receivedAt : a.firedAt(),
                            a.values());
                    sent.add(send(Topics.ALERTS.name(), stamped.kafkaKey(), AlertCodec.encode(stamped)));
                } else {
                    TelemetryRecord r = codec.decode(e.json(), receivedAt);
                    telemetry.add(StampedTelemetry.stamp(device, r, receivedAt));
                }
            } catch (IllegalArgumentException | TelemetryValidationException ex) {
                sent.add(deadLetter(device, "edge record " + e.seq() + ": " + ex.getMessage(), e.json(),
                        receivedAt));
            }
        }
        if (max == floor) {
            return CompletableFuture.completedFuture(null);
        }
        if (!telemetry.isEmpty()) {
            sent.add(sink.send(telemetry, SINK_WAIT));
        }
        long taken = max;
        String epoch = batch.epoch();
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenComposeAsync(v -> send(Topics.EDGE_SEQUENCES.name(), key,
                        (epoch + ":" + taken).getBytes(StandardCharsets.UTF_8)), after)
                .thenRun(() -> last.merge(key, new Last(epoch, taken),
                        (old, neu) -> old.epoch().equals(neu.epoch()) && old.seq() > neu.seq() ? old : neu));
    }

    private CompletableFuture<Void> status(DeviceIdentity device, byte[] payload, long receivedAt) {
        JsonNode report = tree(payload);
        ObjectNode wrapped = JSON.createObjectNode();
        wrapped.put("tenant", device.tenant());
        wrapped.put("deviceId", device.deviceId());
        wrapped.put("receivedAt", receivedAt);
        wrapped.set("report", report);
        try {
            return send(Topics.EDGE_STATUS.name(), Topics.deviceKey(device.tenant(), device.deviceId()),
                    JSON.writeValueAsBytes(wrapped));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the report: " + e.getMessage());
        }
    }

    private static JsonNode tree(byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return node;
    }

    private CompletableFuture<Void> deadLetter(DeviceIdentity device, String reason, byte[] payload,
            long receivedAt) {
        return pipeline.deadLetter(new DeadLetter(reason, "$", receivedAt, "mqtt", device.tenant(),
                device.deviceId(), payload), SINK_WAIT);
    }

    private CompletableFuture<Void> send(String topic, String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
