package io.streamthings.flink.realtime;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The window's functions: incremental aggregation into {@link WindowStats}, the emission of the result, and the
 * event-time trigger that also counts the readings aggregated.
 */
final class WindowFunctions {

    private WindowFunctions() {
    }

    /**
     * Adds each reading of a batch to the window's {@link WindowStats}, one by one in arrival order: one small
     * accumulator per window series.
     */
    static final class Aggregate implements AggregateFunction<SeriesBatch, WindowStats, WindowStats> {
        private static final long serialVersionUID = 1L;

        @Override
        public WindowStats createAccumulator() {
            return new WindowStats();
        }

        @Override
        public WindowStats add(SeriesBatch batch, WindowStats acc) {
            return acc.addAll(batch);
        }

        @Override
        public WindowStats getResult(WindowStats acc) {
            return acc;
        }

        @Override
        public WindowStats merge(WindowStats a, WindowStats b) {
            return a.merge(b);
        }
    }

    /**
     * Emits the window's aggregate with its key and bounds, numbering the firings: 0 when the watermark passes the
     * window's end, then 1, 2, ... for each update by a record within the allowed lateness.
     */
    static final class Emit
            extends ProcessWindowFunction<WindowStats, WindowAggregate, Tuple3<String, String, String>, TimeWindow> {
        private static final long serialVersionUID = 1L;

        // Per-window state, not per-key: it lives exactly as long as the window (until the allowed lateness has
        // passed) and is cleared in clear(), called by Flink when the window is purged.
        private static final ValueStateDescriptor<Integer> FIRINGS =
                new ValueStateDescriptor<>("firings", Integer.class);

        @Override
        public void process(Tuple3<String, String, String> key, Context ctx, Iterable<WindowStats> elements,
                Collector<WindowAggregate> out) throws Exception {
            ValueState<Integer> firings = ctx.windowState().getState(FIRINGS);
            Integer previous = firings.value();
            int firing = previous == null ? 0 : previous + 1;
            firings.update(firing);
            WindowStats stats = elements.iterator().next();
            TimeWindow w = ctx.window();
            out.collect(stats.toAggregate(key.f0, key.f1, key.f2, w.getStart(), w.getEnd(), firing));
        }

        @Override
        public void clear(Context ctx) {
            ctx.windowState().getState(FIRINGS).clear();
        }
    }

    /**
     * Flink's {@link EventTimeTrigger} (fire when the watermark passes the window's end, and at once for a reading
     * within the allowed lateness), counting the readings it lets into windows in the metric {@code windowReadings}.
     * A reading that comes after the allowed lateness reaches no trigger: it is counted in {@code lateRecords}.
     */
    static final class CountingEventTimeTrigger extends Trigger<SeriesBatch, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final EventTimeTrigger delegate = EventTimeTrigger.create();
        private transient Counter readings;

        @Override
        public TriggerResult onElement(SeriesBatch batch, long timestamp, TimeWindow window, TriggerContext ctx)
                throws Exception {
            if (readings == null) {
                readings = ctx.getMetricGroup().counter("windowReadings");
            }
            readings.inc(batch.size());
            return delegate.onElement(batch, timestamp, window, ctx);
        }

        @Override
        public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
            return delegate.onEventTime(time, window, ctx);
        }

        @Override
        public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
            return delegate.onProcessingTime(time, window, ctx);
        }

        @Override
        public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
            delegate.clear(window, ctx);
        }

        @Override
        public String toString() {
            return "CountingEventTimeTrigger()";
        }
    }
}
