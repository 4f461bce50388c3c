package io.streamthings.flink.realtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/** The thin Flink operators of the real-time job; each delegates to a plain class of this package. */
final class StreamFunctions {

    private StreamFunctions() {
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
