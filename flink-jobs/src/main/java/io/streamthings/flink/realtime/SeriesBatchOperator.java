package io.streamthings.flink.realtime;

import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Chained to the source, the one operator every decoded record goes through before the shuffles (one operator rather
 * than a chain of three, with one device lookup per record):
 * <ul>
 * <li>a record that could not be decoded goes to {@link #UNDECODABLE}, counted in {@code undecodableRecords};</li>
 * <li>a good record goes to {@link #RAW} when raw points are on;</li>
 * <li>its readings become {@link SeriesBatch}es (the main output) with a {@link SeriesBatcher}, released when the
 * watermark closes their window (before the watermark goes on), before every checkpoint barrier (so the operator keeps
 * no state), at the end of input, and at least every {@code flushIntervalMs} of processing time. Each batch carries
 * the greatest event time of its readings, so the window operator assigns it to the same window as its readings;</li>
 * <li>a sign of life of its device goes to {@link #SEEN}, at most one per device per throttle interval
 * ({@link PresenceRules#signOfLifeDue}), so that only a trickle crosses the network to the presence operator.</li>
 * </ul>
 */
final class SeriesBatchOperator extends AbstractStreamOperator<SeriesBatch>
        implements OneInputStreamOperator<DecodedRecord, SeriesBatch> {

    private static final long serialVersionUID = 1L;

    /** Records that could not be decoded, on their way to the dead-letter topic. */
    static final OutputTag<DecodedRecord> UNDECODABLE = new OutputTag<>("undecodable") { };
    /** Every decoded record, for the raw points (only when they are on). */
    static final OutputTag<TelemetryEvent> RAW = new OutputTag<>("raw-records") { };
    /** Signs of life of devices, throttled, for the presence operator. */
    static final OutputTag<DeviceSeen> SEEN = new OutputTag<>("signs-of-life") { };

    /** Readings held at most per subtask before everything is released. */
    static final int MAX_HELD_READINGS = 200_000;

    private final long windowSizeMs;
    private final int batchCapacity;
    private final long flushIntervalMs;
    private final boolean raw;
    private final long defaultOfflineAfterMs;
    private transient SeriesBatcher batcher;
    private transient Consumer<SeriesBatch> emit;
    private transient StreamRecord<SeriesBatch> reuse;
    private transient StreamRecord<TelemetryEvent> rawRecord;
    private transient StreamRecord<DeviceSeen> seenRecord;
    private transient Counter undecodable;
    private transient long watermark;

    /**
     * @param windowSizeMs tumbling window size, ms
     * @param batchCapacity readings per batch at most; 1 sends every reading on its own
     * @param flushIntervalMs longest wait of a reading in a batch, ms of processing time
     * @param raw whether decoded records also go to {@link #RAW}
     * @param defaultOfflineAfterMs the offline timeout of a device whose records do not set theirs, ms
     */
    SeriesBatchOperator(long windowSizeMs, int batchCapacity, long flushIntervalMs, boolean raw,
            long defaultOfflineAfterMs) {
        this.windowSizeMs = windowSizeMs;
        this.batchCapacity = batchCapacity;
        this.flushIntervalMs = flushIntervalMs;
        this.raw = raw;
        this.defaultOfflineAfterMs = defaultOfflineAfterMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        batcher = new SeriesBatcher(windowSizeMs, batchCapacity, MAX_HELD_READINGS);
        reuse = new StreamRecord<>(null);
        rawRecord = new StreamRecord<>(null);
        seenRecord = new StreamRecord<>(null);
        undecodable = getMetricGroup().counter("undecodableRecords");
        emit = batch -> {
            long maxTs = Long.MIN_VALUE;
            for (long t : batch.ts()) {
                maxTs = Math.max(maxTs, t);
            }
            output.collect(reuse.replace(batch, maxTs));
        };
        watermark = Long.MIN_VALUE;
        scheduleFlush();
    }

    @Override
    public void processElement(StreamRecord<DecodedRecord> element) {
        DecodedRecord record = element.getValue();
        if (!record.isOk()) {
            undecodable.inc();
            output.collect(UNDECODABLE, element);
            return;
        }
        TelemetryEvent event = record.event();
        if (raw) {
            output.collect(RAW, rawRecord.replace(event, element.getTimestamp()));
        }
        SeriesBatcher.Device device = batcher.add(event, watermark, emit);
        // Processing time, as the presence operator's timers: a sign of life is about now, not the record's ts. The
        // offline tag is only read when the shortest interval any device can have has passed.
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (PresenceRules.signOfLifeDue(device.lastSignOfLifeAt(), now, PresenceRules.MIN_THROTTLE_MS)) {
            long offlineAfter = PresenceRules.offlineAfterMs(event.tag(PresenceRules.OFFLINE_AFTER_TAG),
                    defaultOfflineAfterMs);
            if (PresenceRules.signOfLifeDue(device.lastSignOfLifeAt(), now, PresenceRules.throttleMs(offlineAfter))) {
                device.signOfLifeAt(now);
                output.collect(SEEN, seenRecord.replace(new DeviceSeen(event.tenant(), event.deviceId(),
                        event.receivedAt(), offlineAfter), element.getTimestamp()));
            }
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        batcher.releaseUpTo(mark.getTimestamp(), emit);
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        batcher.releaseAll(emit);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        batcher.releaseAll(emit);
        super.finish();
    }

    private void scheduleFlush() {
        if (batchCapacity == 1) {
            return;
        }
        getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime()
                + flushIntervalMs, t -> {
                    batcher.releaseAll(emit);
                    scheduleFlush();
                });
    }
}
