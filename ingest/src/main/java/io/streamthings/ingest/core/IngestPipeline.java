package io.streamthings.ingest.core;

import io.streamthings.common.telemetry.BatchDecodeResult;
import io.streamthings.common.telemetry.BatchDecodeResult.Rejection;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.common.telemetry.TelemetryValidationException;
import io.streamthings.common.telemetry.TelemetryValidationException.Kind;
import io.streamthings.ingest.sink.TelemetrySink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The path every payload takes, whatever its transport: decode and validate with {@code common}'s codec, stamp with
 * the device's identity, then send the good records to {@code telemetry.raw} and every rejection, with its reason and
 * raw payload, to {@code telemetry.dlq}. The returned future completes only when Kafka has acknowledged all of it, so
 * the transport acknowledges its client only then.
 */
public final class IngestPipeline {

    private final TelemetryCodec codec;
    private final TelemetrySink sink;
    private final LastSeenTracker lastSeen;
    private final IngestMetrics metrics;
    private final LongSupplier clockMs;

    public IngestPipeline(TelemetryCodec codec, TelemetrySink sink, LastSeenTracker lastSeen, IngestMetrics metrics,
            LongSupplier clockMs) {
        this.codec = codec;
        this.sink = sink;
        this.lastSeen = lastSeen;
        this.metrics = metrics;
        this.clockMs = clockMs;
    }

    /** The codec, whose limits say how large a payload may be. */
    public TelemetryCodec codec() {
        return codec;
    }

    /** Decodes a JSON payload: one record or an array of them. Never throws for bad input. */
    public Batch decodeJson(DeviceIdentity device, String source, byte[] payload, long receivedAt) {
        BatchDecodeResult result = codec.decodeBatch(payload, receivedAt);
        List<StampedTelemetry> stamped = new ArrayList<>(result.accepted().size());
        for (BatchDecodeResult.Accepted a : result.accepted()) {
            stamped.add(StampedTelemetry.stamp(device, a.record(), receivedAt));
        }
        return new Batch(device, source, receivedAt, payload, stamped, result.rejected());
    }

    /**
     * Decodes an InfluxDB line-protocol body. Each field becomes the metric {@code measurement.field}; the line's tags
     * become the record's tags; a line without a timestamp takes the receive time. Every point is then validated by
     * the same codec, with the same limits, as JSON. Rejection indexes are 0-based line positions in the body.
     */
    public Batch decodeLines(DeviceIdentity device, byte[] payload, LineProtocol.Precision precision,
            long receivedAt) {
        String body = new String(payload, StandardCharsets.UTF_8);
        List<StampedTelemetry> stamped = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        List<LineProtocol.Line> lines = LineProtocol.parse(body, precision);
        if (lines.size() > codec.limits().maxBatchRecords()) {
            return new Batch(device, "http", receivedAt, payload, List.of(), List.of(new Rejection(-1,
                    Kind.TOO_LARGE, "$", "$: more than " + codec.limits().maxBatchRecords() + " lines", null)));
        }
        for (LineProtocol.Line line : lines) {
            int index = line.lineNumber() - 1;
            if (!line.ok()) {
                rejected.add(new Rejection(index, Kind.INVALID, "$", line.error(), line.text()));
                continue;
            }
            try {
                TelemetryRecord record = toRecord(line.point(), receivedAt);
                // Through the codec once more so that the limits (metric count, time window...) are those of JSON.
                TelemetryRecord checked = codec.decode(codec.encode(record), receivedAt);
                stamped.add(StampedTelemetry.stamp(device, checked, receivedAt));
            } catch (TelemetryValidationException e) {
                rejected.add(new Rejection(index, e.kind(), e.field(), "line " + line.lineNumber() + ": "
                        + e.getMessage(), line.text()));
            }
        }
        if (lines.isEmpty()) {
            rejected.add(new Rejection(-1, Kind.INVALID, "$", "$: no line-protocol lines in the body", null));
        }
        return new Batch(device, "http", receivedAt, payload, stamped, rejected);
    }

    /**
     * Sends a decoded batch: accepted records to {@code telemetry.raw}, rejections to {@code telemetry.dlq}.
     *
     * @param maxWait how long to wait for room among the records in flight (see {@link TelemetrySink#send})
     * @return completes when Kafka acknowledged everything; fails with the sink's error otherwise
     */
    public CompletableFuture<Void> deliver(Batch batch, Duration maxWait) {
        CompletableFuture<Void> records = sink.send(batch.accepted(), maxWait);
        if (batch.rejected().isEmpty()) {
            // The common case (an MQTT message, a clean HTTP body): no allOf over one future, one stage less per call.
            return records.whenComplete((ok, error) -> {
                if (error == null) {
                    accepted(batch);
                }
            });
        }
        List<CompletableFuture<Void>> all = new ArrayList<>(batch.rejected().size() + 1);
        all.add(records);
        DeviceIdentity d = batch.device();
        for (Rejection r : batch.rejected()) {
            byte[] raw = r.index() == -1 || r.rawJson() == null
                    ? batch.payload()
                    : r.rawJson().getBytes(StandardCharsets.UTF_8);
            DeadLetter letter = new DeadLetter(r.message(), r.field(), batch.receivedAt(), batch.source(),
                    d == null ? null : d.tenant(), d == null ? null : d.deviceId(), raw);
            all.add(sink.deadLetter(letter, maxWait).thenRun(metrics::deadLettered));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error == null) {
                accepted(batch);
                metrics.rejected(batch.rejected().size());
            }
        });
    }

    private void accepted(Batch batch) {
        int n = batch.accepted().size();
        if (n > 0) {
            metrics.accepted(n, batch.receivedAt(), clockMs.getAsLong());
            lastSeen.seen(batch.device().tenant(), batch.device().deviceId(), batch.receivedAt());
        }
    }

    /** Sends one refused payload (unknown sender, rate limit...) to the dead-letter topic. */
    public CompletableFuture<Void> deadLetter(DeadLetter letter, Duration maxWait) {
        return sink.deadLetter(letter, maxWait).thenRun(() -> {
            metrics.deadLettered();
            metrics.rejected(1);
        });
    }

    private static TelemetryRecord toRecord(LineProtocol.Point p, long receivedAt) {
        java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        p.fields().forEach((field, value) -> metrics.put(p.measurement() + "." + field, value));
        return new TelemetryRecord(p.timestampMs() == null ? receivedAt : p.timestampMs(), metrics, p.tags());
    }
}
