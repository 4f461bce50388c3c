package io.streamthings.flink.realtime;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The window's two functions: incremental aggregation into {@link WindowStats}, and the emission of the result. */
final class WindowFunctions {

    private WindowFunctions() {
    }

    /** Adds each sample to the window's {@link WindowStats} as it arrives: one small accumulator per window series. */
    static final class Aggregate implements AggregateFunction<MetricSample, WindowStats, WindowStats> {
        private static final long serialVersionUID = 1L;

        @Override
        public WindowStats createAccumulator() {
            return new WindowStats();
        }

        @Override
        public WindowStats add(MetricSample s, WindowStats acc) {
            return acc.add(s.value(), s.ts(), s.receivedAt(), s.deviceType());
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
}
