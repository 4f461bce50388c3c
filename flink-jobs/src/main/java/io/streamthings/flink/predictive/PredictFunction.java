package io.streamthings.flink.predictive;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.prediction.PredictionPoint;
import io.streamthings.flink.predictive.model.Forecast;
import io.streamthings.flink.predictive.model.ModelParams;
import io.streamthings.flink.predictive.model.SeriesForecaster;
import io.streamthings.flink.predictive.model.Step;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The model of one series (keyed by {@code tenant/deviceId/metric}): scores each reading, learns from it, and emits
 * the forecasts of the next {@code points} horizons made at the reading's time, with the reading's anomaly score and
 * the time until the device type's limit is crossed when one is known. An anomalous reading becomes an alert (rule
 * {@code anomaly}) on {@link #ALERTS}; an ongoing anomaly alerts again at most every {@code repeatMs} of event time
 * (the registry folds the repeats into one open alert).
 *
 * <p>State: the model (a POJO, see {@link SeriesForecaster}) and the event time of the last alert. No timers. Both
 * expire 30 days after their last update, so a series that stopped costs nothing after that (a device that comes back
 * starts learning anew).
 */
public final class PredictFunction extends KeyedProcessFunction<String, Reading, PredictionPoint> {

    private static final long serialVersionUID = 1L;

    /** Alerts of anomalous readings. */
    public static final OutputTag<AlertEvent> ALERTS = new OutputTag<>("anomaly-alerts") { };
    /** The alert's rule name. */
    public static final String RULE = "anomaly";

    private final ModelParams params;
    private final int points;
    private final long horizonMs;
    private final long repeatMs;
    private final Map<String, double[]> thresholds;
    private final long thresholdHorizonMs;
    private transient ValueState<SeriesForecaster> model;
    private transient ValueState<Long> lastAlert;

    /**
     * @param params model parameters
     * @param points forecasts per reading
     * @param horizonMs time between them; 0 for the series' typical step
     * @param repeatMs least event time between two alerts of one ongoing anomaly
     * @param thresholds {min, max} (NaN: unknown) per {@code deviceType/metric}
     * @param thresholdHorizonMs crossings further ahead are not reported
     */
    public PredictFunction(ModelParams params, int points, long horizonMs, long repeatMs,
            Map<String, double[]> thresholds, long thresholdHorizonMs) {
        this.params = params;
        this.points = points;
        this.horizonMs = horizonMs;
        this.repeatMs = repeatMs;
        this.thresholds = Map.copyOf(thresholds);
        this.thresholdHorizonMs = thresholdHorizonMs;
    }

    @Override
    public void open(OpenContext context) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofDays(30)).build();
        ValueStateDescriptor<SeriesForecaster> modelDescriptor = new ValueStateDescriptor<>("model",
                TypeInformation.of(SeriesForecaster.class));
        modelDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<Long> alertDescriptor = new ValueStateDescriptor<>("lastAlert", Types.LONG);
        alertDescriptor.enableTimeToLive(ttl);
        model = getRuntimeContext().getState(modelDescriptor);
        lastAlert = getRuntimeContext().getState(alertDescriptor);
    }

    @Override
    public void processElement(Reading r, Context ctx, Collector<PredictionPoint> out) throws Exception {
        SeriesForecaster m = model.value();
        if (m == null) {
            m = SeriesForecaster.create(params);
        }
        Step step = m.observe(r.ts(), r.value(), params);
        model.update(m);

        if (step.anomalous()) {
            Long last = lastAlert.value();
            if (last == null || r.ts() - last >= repeatMs || r.ts() < last) {
                lastAlert.update(r.ts());
                ctx.output(ALERTS, alert(r, step));
            }
        }

        double[] limits = thresholds.get(r.deviceType() + "/" + r.metric());
        Long eta = limits == null ? null : m.thresholdEtaMs(Double.isNaN(limits[0]) ? null : limits[0],
                Double.isNaN(limits[1]) ? null : limits[1], thresholdHorizonMs);
        long horizon = horizonMs > 0 ? horizonMs : Math.max(1_000, Math.round(m.stepMs));
        for (int k = 1; k <= points; k++) {
            Forecast f = m.forecast(r.ts() + k * horizon, params);
            if (!Double.isFinite(f.value()) || !Double.isFinite(f.lower()) || !Double.isFinite(f.upper())) {
                continue;
            }
            out.collect(new PredictionPoint(r.tenant(), r.deviceId(), r.metric(), f.ts(), r.ts(), f.model(),
                    f.value(), f.lower(), f.upper(), step.score(), eta));
        }
    }

    static AlertEvent alert(Reading r, Step step) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("metric", r.metric());
        values.put("expected", step.expected());
        values.put("actual", step.actual());
        values.put("score", step.score());
        values.put("kind", step.kind().name().toLowerCase(Locale.ROOT));
        String message = String.format(Locale.ROOT, "%s of %s is %.4g, expected %.4g (%s, anomaly score %.1f)",
                r.metric(), r.deviceId(), step.actual(), step.expected(),
                step.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), step.score());
        return new AlertEvent(r.tenant(), "flink", RULE, r.deviceId(), "warning", message, r.ts(),
                System.currentTimeMillis(), values);
    }
}
