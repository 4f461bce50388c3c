package io.streamthings.flink.predictive.model;

import java.io.Serializable;

/**
 * The tuning of {@link SeriesForecaster}: smoothing factors, the seasonal layout and the anomaly tests. Defaults fit
 * sensors read every few seconds to minutes; a batch job may train better ones per series from history.
 *
 * @param alpha level smoothing, (0, 1]
 * @param beta trend smoothing, [0, 1] (the trend moves by alpha * beta of each error)
 * @param gamma daily seasonal smoothing, [0, 1]
 * @param gammaWeek weekly profile smoothing, [0, 1] (used once a week of readings seeded it)
 * @param dayBins bins of the daily profile (96: 15 minutes each)
 * @param zThreshold robust z-score above which a reading is anomalous
 * @param clip errors larger than clip robust standard deviations move the model only by that much (why: a spike must
 *     not drag the level and the season with it; Gelper, Fried and Croux, "Robust forecasting with exponential and
 *     Holt-Winters smoothing", Journal of Forecasting 29, 2010)
 * @param minDeviation absolute deviation from the forecast below which nothing is anomalous, metric units
 * @param minRelDeviation deviation below this fraction of the forecast's magnitude is never anomalous
 * @param shiftRun consecutive anomalies of one sign after which the level is moved to the new values (level shift)
 * @param stuckRun equal readings in a row that make a signal that used to move "stuck"
 * @param baselineAlpha smoothing of the slow baseline the level is compared with to find drifts, (0, 1]
 * @param driftZ distance of the level from the slow baseline, in robust standard deviations, that is a drift
 * @param warmup readings before any anomaly is reported (the model is still learning)
 */
public record ModelParams(double alpha, double beta, double gamma, double gammaWeek, int dayBins, double zThreshold,
        double clip, double minDeviation, double minRelDeviation, int shiftRun, int stuckRun, double baselineAlpha,
        double driftZ, int warmup) implements Serializable {

    /** What a series without any history starts with. */
    public static final ModelParams DEFAULTS = new ModelParams(0.3, 0.005, 0.2, 0.2, 96, 6.0, 3.0, 1e-3, 0.01, 6,
            12, 0.01, 8.0, 100);

    public ModelParams {
        check(alpha > 0 && alpha <= 1, "alpha must be in (0, 1], got " + alpha);
        check(beta >= 0 && beta <= 1, "beta must be in [0, 1], got " + beta);
        check(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1], got " + gamma);
        check(gammaWeek >= 0 && gammaWeek <= 1, "gammaWeek must be in [0, 1], got " + gammaWeek);
        check(dayBins >= 1 && dayBins <= 1440, "dayBins must be in [1, 1440], got " + dayBins);
        check(zThreshold > 0 && clip > 0, "zThreshold and clip must be positive");
        check(minDeviation >= 0 && minRelDeviation >= 0, "minimum deviations must not be negative");
        check(shiftRun >= 2 && stuckRun >= 2, "shiftRun and stuckRun must be at least 2");
        check(baselineAlpha > 0 && baselineAlpha <= 1, "baselineAlpha must be in (0, 1], got " + baselineAlpha);
        check(driftZ > 0, "driftZ must be positive, got " + driftZ);
        check(warmup >= 0, "warmup must not be negative");
    }

    /** The same parameters with other smoothing factors (what training changes). */
    public ModelParams withSmoothing(double alpha, double beta, double gamma) {
        return new ModelParams(alpha, beta, gamma, gammaWeek, dayBins, zThreshold, clip, minDeviation,
                minRelDeviation, shiftRun, stuckRun, baselineAlpha, driftZ, warmup);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
