package io.streamthings.flink.realtime;

import java.util.function.Consumer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Chained to the source, before the shuffle to the windows: turns records into {@link SeriesBatch}es with a
 * {@link SeriesBatcher}, released when the watermark closes their window (before the watermark goes on), before every
 * checkpoint barrier (so the operator keeps no state), at the end of input, and at least every {@code flushIntervalMs}
 * of processing time. Each batch carries the greatest event time of its readings, so the window operator assigns it to
 * the same window as its readings.
 */
final class SeriesBatchOperator extends AbstractStreamOperator<SeriesBatch>
        implements OneInputStreamOperator<TelemetryEvent, SeriesBatch> {

    private static final long serialVersionUID = 1L;

    /** Readings held at most per subtask before everything is released. */
    static final int MAX_HELD_READINGS = 200_000;

    private final long windowSizeMs;
    private final int batchCapacity;
    private final long flushIntervalMs;
    private transient SeriesBatcher batcher;
    private transient Consumer<SeriesBatch> emit;
    private transient StreamRecord<SeriesBatch> reuse;
    private transient long watermark;

    /**
     * @param windowSizeMs tumbling window size, ms
     * @param batchCapacity readings per batch at most; 1 sends every reading on its own
     * @param flushIntervalMs longest wait of a reading in a batch, ms of processing time
     */
    SeriesBatchOperator(long windowSizeMs, int batchCapacity, long flushIntervalMs) {
        this.windowSizeMs = windowSizeMs;
        this.batchCapacity = batchCapacity;
        this.flushIntervalMs = flushIntervalMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        batcher = new SeriesBatcher(windowSizeMs, batchCapacity, MAX_HELD_READINGS);
        reuse = new StreamRecord<>(null);
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
    public void processElement(StreamRecord<TelemetryEvent> element) {
        batcher.add(element.getValue(), watermark, emit);
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
