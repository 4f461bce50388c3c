package io.streamthings.flink.predictive.model;

import java.util.Arrays;

/**
 * The online model of one metric of one device. Plain Java holding its own state: the predictive job keeps one per
 * series in keyed state (the public fields make it a Flink POJO).
 *
 * <p>Forecasts: two robust exponential-smoothing models run side by side on irregular time: Holt's (level and trend
 * per typical step) and additive Holt-Winters (the same plus a seasonal profile). Seasonality goes by the clock, not by
 * sample count: a reading lands in the bin of its time of day (UTC), so gaps and irregular sampling do not shift the
 * season. The profile is daily ({@code dayBins} time-of-day bins) from the end of the first day, seeded with that day's
 * bin means less their overall mean, and weekly ({@code 7 * dayBins} bins, Monday first) from the end of the first
 * week, seeded the same way, so weekday and weekend patterns are learnt as a whole. (Why not a day-of-week offset on
 * top of the daily profile: the level absorbs a weekend step within a few readings, so such an offset learns almost
 * nothing and the level, not the season, swings each weekend.) The daily period counts as found, and forecasts come from
 * Holt-Winters (model {@code holt-winters}) instead of Holt ({@code holt}), while the profile's spread (standard
 * deviation over the bins) exceeds the robust standard deviation of the errors: a season that stands out of the
 * noise. Without a season the profile only learns noise, whose spread stays well below that.
 *
 * <p>Anomalies: the score is the robust z-score of the error against the last {@value #WINDOW} errors (median and MAD,
 * so one spike does not inflate the scale as a standard deviation would). A reading is anomalous when the score passes
 * {@link ModelParams#zThreshold} and the error passes the minimum deviation (so a flat signal's tiny wobble never
 * alarms); {@link ModelParams#shiftRun} such readings of one sign in a row move the level to them (a level shift); a
 * level that has wandered more than {@link ModelParams#driftZ} robust standard deviations from a slow baseline is a
 * drift (too slow for the z-score, which the level follows); and a run of identical readings from a signal that used to
 * move is a stuck sensor. Errors are clipped at {@link ModelParams#clip} robust standard deviations before they update
 * the model, so anomalies barely teach it.
 */
public class SeriesForecaster {

    /** Errors kept for the robust scale. */
    public static final int WINDOW = 64;
    private static final long DAY_MS = 86_400_000L;
    private static final double MAD_TO_SIGMA = 1.4826;
    private static final double PLAIN_BETA = 0.02;
    /**
     * A sustained deviation: this many readings in a row of one sign, each scoring above {@link #SUSTAINED_Z} of the z
     * threshold (chosen on the evaluation's tuning seed among runs of 3 and 4 and fractions of 0.5 and 0.6).
     */
    static final int SUSTAINED_RUN = 3;
    /** See {@link #SUSTAINED_RUN}. */
    static final double SUSTAINED_Z = 0.5;

    // Public fields: Flink's POJO serializer keeps this class in state without Kryo.
    /** Readings seen. */
    public long n;
    /** Event time of the latest reading, epoch ms. */
    public long lastTs;
    /** The latest reading. */
    public double lastValue;
    /** Exponentially weighted time between readings, ms: the unit of the trends. */
    public double stepMs;
    /** Holt-Winters: deseasonalised level. */
    public double level;
    /** Holt-Winters: trend per step. */
    public double trend;
    /** Holt-Winters: daily profile, by time-of-day bin. */
    public double[] day;
    /** Holt-Winters: weekly profile by time-of-week bin (Monday 00:00 UTC first); null until the first week is over. */
    public double[] week;
    /** Sums of the first week's readings per time-of-week bin (null once the weekly profile is seeded). */
    public double[] firstWeekSum;
    /** Counts of the first week's readings per time-of-week bin (null once the weekly profile is seeded). */
    public int[] firstWeekCount;
    /** Holt: level. */
    public double plainLevel;
    /** Holt: trend per step. */
    public double plainTrend;
    /** Slow baseline of the Holt-Winters level, for drifts. */
    public double baseline;
    /** Exponentially weighted absolute error of Holt-Winters (reported, not used to choose). */
    public double errSeasonal;
    /** Exponentially weighted absolute error of Holt. */
    public double errPlain;
    /** Start of the first day of readings, epoch ms; the profile is seeded once it is over. */
    public long firstTs;
    /** Sums of the first day's readings per bin (null once the profile is seeded). */
    public double[] firstDaySum;
    /** Counts of the first day's readings per bin (null once the profile is seeded). */
    public int[] firstDayCount;
    /** Ring of recent (clipped) errors. */
    public double[] errors;
    /** Errors in the ring. */
    public int errorCount;
    /** Next slot of the ring. */
    public int errorNext;
    /** Anomalous readings of one sign in a row. */
    public int runLength;
    /** Sum of their errors. */
    public double runSum;
    /** Sum and sum of squares of the active profile's bins, kept as bins change (the spread without a pass). */
    public double profileSum;
    /** See {@link #profileSum}. */
    public double profileSumSq;
    /** {@link #scale()} and {@link #median()} of the ring as it is, valid while {@link #statsValid}. */
    public double cachedScale;
    /** See {@link #cachedScale}. */
    public double cachedMedian;
    /** Whether the cached statistics match the ring. */
    public boolean statsValid;
    /** Moderate errors of one sign in a row, signed (see {@link #SUSTAINED_RUN}). */
    public int sustainedRun;
    /** Identical readings in a row. */
    public int sameRun;
    /** Exponentially weighted absolute change between different consecutive readings: how much the signal moves. */
    public double moveScale;

    /** A model that has seen nothing (Flink's POJO serializer needs this constructor). */
    public SeriesForecaster() {
    }

    /** A model with the layout of {@code params}. */
    public static SeriesForecaster create(ModelParams params) {
        SeriesForecaster m = new SeriesForecaster();
        m.ensureLayout(params);
        return m;
    }

    /** True once the daily period was found and the forecasts come from Holt-Winters. */
    public boolean seasonal() {
        if (firstDaySum != null || n == 0) {
            return false;
        }
        double[] profile = week != null ? week : day;
        double mean = profileSum / profile.length;
        double var = Math.max(0, profileSumSq / profile.length - mean * mean);
        return Math.sqrt(var) > scale();
    }

    /**
     * Takes one reading: scores it against the forecast made before it, then learns from it. A reading not newer than
     * the latest is scored but not learnt from (the model only moves forward in time).
     */
    public Step observe(long ts, double x, ModelParams p) {
        ensureLayout(p);
        if (n == 0) {
            n = 1;
            lastTs = ts;
            lastValue = x;
            level = x;
            plainLevel = x;
            baseline = x;
            firstTs = ts;
            firstDaySum = new double[p.dayBins()];
            firstDayCount = new int[p.dayBins()];
            firstDaySum[dayBin(ts, p)] += x;
            firstDayCount[dayBin(ts, p)]++;
            firstWeekSum = new double[7 * p.dayBins()];
            firstWeekCount = new int[7 * p.dayBins()];
            firstWeekSum[weekBin(ts, p)] += x;
            firstWeekCount[weekBin(ts, p)]++;
            return new Step(x, x, 0, AnomalyKind.NONE);
        }
        if (ts > lastTs) {
            // A profile whose learning time is over is seeded before this reading is scored, not after: the first
            // reading past the first week is often the step from Sunday into Monday, which only the weekly profile
            // expects (scored with the daily one it was a false spike in most series).
            seedWhenDue(ts, p);
        }
        double steps = steps(ts);
        double plainF = plainLevel + plainTrend * steps;
        double hwF = level + trend * steps + season(ts, p);
        boolean useSeasonal = seasonal();
        double expected = useSeasonal ? hwF : plainF;
        double error = x - expected;
        double scale = scale();
        double minDev = Math.max(p.minDeviation(), p.minRelDeviation() * Math.abs(expected));
        double score = scale > 0 ? Math.abs(error - median()) / scale : 0;
        boolean warm = n > p.warmup();
        boolean big = warm && score > p.zThreshold() && Math.abs(error) > minDev;
        AnomalyKind kind = big ? AnomalyKind.SPIKE : AnomalyKind.NONE;

        // Level shift: a run of big errors of one sign is a new regime, not a series of spikes.
        if (big && runLength > 0 && Math.signum(runSum) == Math.signum(error)) {
            runLength++;
            runSum += error;
        } else {
            runLength = big ? 1 : 0;
            runSum = big ? error : 0;
        }
        boolean shift = runLength >= p.shiftRun();

        // Sustained deviation: a shift of a few sigma is too small for the z-score after the first reading (the level
        // follows it), but several moderate errors of one sign in a row are as unlikely as one big one.
        boolean moderate = warm && score > SUSTAINED_Z * p.zThreshold() && Math.abs(error) > minDev;
        int sign = error >= 0 ? 1 : -1;
        sustainedRun = moderate && sustainedRun * sign > 0 ? sustainedRun + sign : (moderate ? sign : 0);
        if (!big && Math.abs(sustainedRun) >= SUSTAINED_RUN) {
            kind = AnomalyKind.LEVEL_SHIFT;
        }

        // Drift: the level (which follows a slow drift) far from its slow baseline.
        double wander = Math.abs(level - baseline);
        if (!big && warm && scale > 0 && wander > p.driftZ() * scale && wander > minDev) {
            kind = AnomalyKind.DRIFT;
        }

        // Stuck: equal readings in a row from a signal that used to move more than the minimum deviation.
        sameRun = x == lastValue ? sameRun + 1 : 0;
        if (!big && warm && sameRun + 1 >= p.stuckRun() && moveScale > minDev) {
            kind = AnomalyKind.STUCK;
        }

        if (ts > lastTs) {
            learn(ts, x, steps, plainF, hwF, scale, shift, p);
        }
        if (shift) {
            kind = AnomalyKind.LEVEL_SHIFT;
        }
        return new Step(expected, x, Double.isFinite(score) ? score : 0, kind);
    }

    private void seedWhenDue(long ts, ModelParams p) {
        if (firstDaySum != null && ts - firstTs >= DAY_MS) {
            seedProfile(ts, p);
        }
        if (firstWeekSum != null && firstDaySum == null && ts - firstTs >= 7 * DAY_MS) {
            seedWeek(p);
        }
    }

    private void learn(long ts, double x, double steps, double plainF, double hwF, double scale, boolean shift,
            ModelParams p) {
        if (firstDaySum != null) {
            if (ts - firstTs < DAY_MS) {
                firstDaySum[dayBin(ts, p)] += x;
                firstDayCount[dayBin(ts, p)]++;
            } else {
                seedProfile(ts, p);
                hwF = level + trend * steps + season(ts, p);
            }
        }
        if (firstWeekSum != null) {
            if (ts - firstTs < 7 * DAY_MS) {
                firstWeekSum[weekBin(ts, p)] += x;
                firstWeekCount[weekBin(ts, p)]++;
            } else if (firstDaySum == null) {
                seedWeek(p);
                hwF = level + trend * steps + season(ts, p);
            }
        }
        double dt = ts - lastTs;
        stepMs = stepMs == 0 ? dt : 0.95 * stepMs + 0.05 * Math.min(dt, 20 * stepMs);
        errSeasonal = 0.99 * errSeasonal + 0.01 * Math.abs(x - hwF);
        errPlain = 0.99 * errPlain + 0.01 * Math.abs(x - plainF);
        double chosenError = seasonal() ? x - hwF : x - plainF;
        double eHw = clip(x - hwF, scale, p);
        double ePlain = clip(x - plainF, scale, p);
        double stepsForTrend = Math.max(1, steps);
        double seasonalPart = season(ts, p);
        if (shift) {
            // The new regime: move both levels by the run's mean error, the baseline with them; forget the run.
            double jump = runSum / runLength;
            level = level + trend * steps + jump;
            plainLevel = plainLevel + plainTrend * steps + jump;
            baseline = level;
            runLength = 0;
            runSum = 0;
            chosenError = 0;
            if (firstDaySum != null || firstWeekSum != null) {
                // A first day or week with a shift in it would seed the shift as a season: start them again.
                firstTs = ts;
                if (firstDaySum != null) {
                    Arrays.fill(firstDaySum, 0);
                    Arrays.fill(firstDayCount, 0);
                }
                if (firstWeekSum != null) {
                    Arrays.fill(firstWeekSum, 0);
                    Arrays.fill(firstWeekCount, 0);
                }
            }
        } else {
            // Holt and Holt-Winters in error-correction form; the profiles learn even while unused, to be ready.
            level = hwF - seasonalPart + p.alpha() * eHw;
            trend = trend + p.alpha() * p.beta() * eHw / stepsForTrend;
            if (week != null) {
                addToBin(week, weekBin(ts, p), p.gammaWeek() * (1 - p.alpha()) * eHw);
            } else {
                addToBin(day, dayBin(ts, p), p.gamma() * (1 - p.alpha()) * eHw);
            }
            plainLevel = plainF + p.alpha() * ePlain;
            // Why a trend smoothing of at least PLAIN_BETA here: Holt's trend gives the threshold ETA, which must
            // follow a real climb within hours, while Holt-Winters' trend may stay slow (the season explains most
            // motion, and a nervous trend costs accuracy an hour ahead).
            plainTrend = plainTrend + p.alpha() * Math.max(p.beta(), PLAIN_BETA) * ePlain / stepsForTrend;
            baseline += p.baselineAlpha() * (level - baseline);
        }
        errors[errorNext] = clip(chosenError, scale, p);
        statsValid = false;
        errorNext = (errorNext + 1) % WINDOW;
        errorCount = Math.min(WINDOW, errorCount + 1);
        if (x != lastValue) {
            double move = Math.abs(x - lastValue);
            moveScale = moveScale == 0 ? move : 0.98 * moveScale + 0.02 * move;
        }
        n++;
        lastTs = ts;
        lastValue = x;
    }

    /** The first day's bin means, less their mean, become the profile; the level loses the season it held. */
    private void seedProfile(long ts, ModelParams p) {
        double total = 0;
        int bins = 0;
        for (int b = 0; b < firstDaySum.length; b++) {
            if (firstDayCount[b] > 0) {
                total += firstDaySum[b] / firstDayCount[b];
                bins++;
            }
        }
        double mean = total / bins;
        for (int b = 0; b < firstDaySum.length; b++) {
            day[b] = firstDayCount[b] > 0 ? firstDaySum[b] / firstDayCount[b] - mean : Double.NaN;
        }
        fillGaps(day);
        level -= day[dayBin(lastTs, p)];
        baseline = level;
        recomputeProfileSums(day);
        firstDaySum = null;
        firstDayCount = null;
    }

    /**
     * The first week's bin means, less its trend and their mean, become the weekly profile (the daily one fills empty
     * bins).
     */
    private void seedWeek(ModelParams p) {
        double before = season(lastTs, p);
        // The week's trend would stay in the profile as a sawtooth (Sunday high, Monday low for a rising signal) whose
        // jump each Monday the level absorbs and then carries away from its baseline: a false drift every week. The
        // trend per day is the median change of a bin from one day to the next (the median ignores the one step
        // into the weekend), and comes out of the bins before they become the profile.
        int nBins = firstWeekSum.length;
        int dayBins = day.length;
        int origin = weekBin(firstTs, p);
        double[] diffs = new double[nBins];
        int nDiffs = 0;
        for (int b = 0; b < nBins; b++) {
            int next = (b + dayBins) % nBins;
            if (firstWeekCount[b] > 0 && firstWeekCount[next] > 0
                    && Math.floorMod(next - origin, nBins) > Math.floorMod(b - origin, nBins)) {
                diffs[nDiffs++] = firstWeekSum[next] / firstWeekCount[next] - firstWeekSum[b] / firstWeekCount[b];
            }
        }
        double perDay = nDiffs >= dayBins ? medianOf(Arrays.copyOf(diffs, nDiffs)) : 0;
        double[] means = new double[nBins];
        double total = 0;
        int bins = 0;
        for (int b = 0; b < nBins; b++) {
            if (firstWeekCount[b] > 0) {
                means[b] = firstWeekSum[b] / firstWeekCount[b]
                        - perDay * Math.floorMod(b - origin, nBins) / (double) dayBins;
                total += means[b];
                bins++;
            }
        }
        double mean = total / bins;
        week = new double[nBins];
        for (int b = 0; b < week.length; b++) {
            week[b] = firstWeekCount[b] > 0 ? means[b] - mean : day[b % day.length];
        }
        level += before - season(lastTs, p);
        baseline = level;
        recomputeProfileSums(week);
        firstWeekSum = null;
        firstWeekCount = null;
    }

    /**
     * Bins without readings (NaN; a gap in the learning day) get the straight line between the nearest filled bins on
     * either side, around the clock. Why not 0: the level would absorb the season missing there every day, and then
     * stray from its baseline as a false drift.
     */
    static void fillGaps(double[] profile) {
        int n = profile.length;
        int anchor = -1;
        for (int b = 0; b < n && anchor < 0; b++) {
            anchor = Double.isNaN(profile[b]) ? -1 : b;
        }
        if (anchor < 0) {
            Arrays.fill(profile, 0);
            return;
        }
        int prev = anchor;
        for (int k = 1; k <= n; k++) {
            int b = (anchor + k) % n;
            if (!Double.isNaN(profile[b])) {
                int span = Math.floorMod(b - prev, n) == 0 ? n : Math.floorMod(b - prev, n);
                for (int j = 1; j < span; j++) {
                    profile[(prev + j) % n] = profile[prev] + (profile[b] - profile[prev]) * j / span;
                }
                prev = b;
            }
        }
    }

    private void addToBin(double[] profile, int bin, double delta) {
        double old = profile[bin];
        profile[bin] = old + delta;
        profileSum += delta;
        profileSumSq += profile[bin] * profile[bin] - old * old;
    }

    private void recomputeProfileSums(double[] profile) {
        profileSum = 0;
        profileSumSq = 0;
        for (double v : profile) {
            profileSum += v;
            profileSumSq += v * v;
        }
    }

    private double season(long ts, ModelParams p) {
        return week != null ? week[weekBin(ts, p)] : day[dayBin(ts, p)];
    }

    /** The forecast of time {@code ts} (after the latest reading), with its 95% band. */
    public Forecast forecast(long ts, ModelParams p) {
        ensureLayout(p);
        double steps = steps(ts);
        boolean useSeasonal = seasonal();
        double value = useSeasonal ? level + trend * steps + season(ts, p)
                : plainLevel + plainTrend * steps;
        // The band widens with the horizon as a random walk's would; the scale floors at the minimum deviation.
        double sigma = Math.max(scale(), p.minDeviation()) * Math.sqrt(Math.min(Math.max(1, steps), 1_000));
        return new Forecast(ts, value, value - 1.96 * sigma, value + 1.96 * sigma, useSeasonal);
    }

    /**
     * Milliseconds from the latest reading until the trend takes the level past {@code max} (rising) or below
     * {@code min} (falling); 0 when it is already past; null when neither bound is given, the trend points away from
     * it, or the crossing lies further than {@code horizonMs} ahead.
     */
    public Long thresholdEtaMs(Double min, Double max, long horizonMs) {
        if (n < 2 || stepMs <= 0) {
            return null;
        }
        double now = plainLevel;
        if ((max != null && now >= max) || (min != null && now <= min)) {
            return 0L;
        }
        double perMs = plainTrend / stepMs;
        double eta;
        if (perMs > 0 && max != null) {
            eta = (max - now) / perMs;
        } else if (perMs < 0 && min != null) {
            eta = (min - now) / perMs;
        } else {
            return null;
        }
        return eta <= horizonMs ? Math.round(eta) : null;
    }

    private void ensureLayout(ModelParams p) {
        if (day == null || day.length != p.dayBins()) {
            day = new double[p.dayBins()];
        }
        if (errors == null) {
            errors = new double[WINDOW];
        }
    }

    private double steps(long ts) {
        return stepMs > 0 ? Math.max(0, (ts - lastTs) / stepMs) : 0;
    }

    private static double clip(double error, double scale, ModelParams p) {
        return scale > 0 ? Math.max(-p.clip() * scale, Math.min(p.clip() * scale, error)) : error;
    }

    /** Robust standard deviation of the recent errors (1.4826 MAD), 0 while fewer than 8. */
    double scale() {
        updateStats();
        return errorCount < 8 ? 0 : cachedScale;
    }

    private double median() {
        updateStats();
        return cachedMedian;
    }

    private void updateStats() {
        if (statsValid) {
            return;
        }
        double med = errorCount == 0 ? 0 : medianOf(Arrays.copyOf(errors, errorCount));
        double[] dev = new double[errorCount];
        for (int i = 0; i < errorCount; i++) {
            dev[i] = Math.abs(errors[i] - med);
        }
        cachedMedian = med;
        cachedScale = errorCount == 0 ? 0 : MAD_TO_SIGMA * medianOf(dev);
        statsValid = true;
    }

    private static double medianOf(double[] values) {
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static int dayBin(long ts, ModelParams p) {
        return (int) (Math.floorMod(ts, DAY_MS) * p.dayBins() / DAY_MS);
    }

    private static int weekBin(long ts, ModelParams p) {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        int weekday = (int) Math.floorMod(Math.floorDiv(ts, DAY_MS) + 3, 7);
        return weekday * p.dayBins() + dayBin(ts, p);
    }
}
