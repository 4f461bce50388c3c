package io.streamthings.flink.realtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** The thin Flink operators of the real-time job; each delegates to a plain class of this package. */
final class StreamFunctions {

    /** Records that could not be decoded, on their way to the dead-letter topic. */
    static final OutputTag<DecodedRecord> UNDECODABLE = new OutputTag<>("undecodable") { };

    private StreamFunctions() {
    }

    /** Good records on, undecodable ones to {@link #UNDECODABLE}, counted in {@code undecodableRecords}. */
    static final class SplitDecoded extends ProcessFunction<DecodedRecord, TelemetryEvent> {
        private static final long serialVersionUID = 1L;
        private transient Counter undecodable;

        @Override
        public void open(OpenContext openContext) {
            undecodable = getRuntimeContext().getMetricGroup().counter("undecodableRecords");
        }

        @Override
        public void processElement(DecodedRecord record, Context ctx, Collector<TelemetryEvent> out) {
            if (record.isOk()) {
                out.collect(record.event());
            } else {
                undecodable.inc();
                ctx.output(UNDECODABLE, record);
            }
        }
    }

    /** The readings of a batch, one sample each: the late ones, for {@code telemetry_late}. */
    static final class Unbatch extends RichFlatMapFunction<SeriesBatch, MetricSample> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SeriesBatch batch, Collector<MetricSample> out) {
            for (int i = 0; i < batch.size(); i++) {
                out.collect(batch.sample(i));
            }
        }
    }

    /** Signs of life for the presence operator, throttled per device by {@link SeenThrottle}. */
    static final class ThrottleSeen extends RichFlatMapFunction<TelemetryEvent, DeviceSeen> {
        private static final long serialVersionUID = 1L;
        private final long defaultOfflineAfterMs;
        private transient SeenThrottle throttle;

        ThrottleSeen(long defaultOfflineAfterMs) {
            this.defaultOfflineAfterMs = defaultOfflineAfterMs;
        }

        @Override
        public void open(OpenContext openContext) {
            throttle = new SeenThrottle(100_000);
        }

        @Override
        public void flatMap(TelemetryEvent event, Collector<DeviceSeen> out) {
            long offlineAfter = PresenceRules.offlineAfterMs(event.tag(PresenceRules.OFFLINE_AFTER_TAG),
                    defaultOfflineAfterMs);
            // Processing time, as the presence operator's timers: a sign of life is about now, not the record's ts.
            if (throttle.shouldForward(event.deviceKey(), System.currentTimeMillis(),
                    PresenceRules.throttleMs(offlineAfter))) {
                out.collect(new DeviceSeen(event.tenant(), event.deviceId(), event.receivedAt(), offlineAfter));
            }
        }
    }

    /** Counts the readings that came after their window was gone ({@code lateRecords}), then passes them on. */
    static final class CountLate extends RichMapFunction<MetricSample, MetricSample> {
        private static final long serialVersionUID = 1L;
        private transient Counter late;

        @Override
        public void open(OpenContext openContext) {
            late = getRuntimeContext().getMetricGroup().counter("lateRecords");
        }

        @Override
        public MetricSample map(MetricSample sample) {
            late.inc();
            return sample;
        }
    }
}
