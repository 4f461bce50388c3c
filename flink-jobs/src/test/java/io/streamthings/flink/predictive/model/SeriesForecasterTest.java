package io.streamthings.flink.predictive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesForecasterTest {

    private static final long MIN = 60_000L;
    private static final long DAY = 1440 * MIN;
    private static final long T0 = 1_764_547_200_000L; // a UTC midnight
    private static final ModelParams P = ModelParams.DEFAULTS;

    private static List<Step> feed(SeriesForecaster m, long stepMs, double[] values) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            steps.add(m.observe(T0 + i * stepMs, values[i], P));
        }
        return steps;
    }

    private static double[] noisy(int n, double level, double sigma, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = level + sigma * r.nextGaussian();
        }
        return v;
    }

    @Test
    void shouldNeverAlarmOnAFlatSignalWithATinyWobble() {
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 97 == 0 ? 20.001 : 20.0;
        }
        List<Step> steps = feed(SeriesForecaster.create(P), MIN, v);
        assertThat(steps).noneMatch(Step::anomalous);
    }

    @Test
    void shouldScoreASpikeAndNotLearnFromIt() {
        double[] v = noisy(1500, 20, 1, 1);
        v[1200] = 35;
        SeriesForecaster m = SeriesForecaster.create(P);
        List<Step> steps = feed(m, MIN, v);

        assertThat(steps.get(1200).kind()).isEqualTo(AnomalyKind.SPIKE);
        assertThat(steps.get(1200).score()).isGreaterThan(P.zThreshold());
        assertThat(steps.get(1200).expected()).isCloseTo(20, within(1.5));
        assertThat(steps.get(1201).expected()).isCloseTo(20, within(1.5));
        long falseAlarms = steps.stream().filter(Step::anomalous).count() - 1;
        assertThat(falseAlarms).isLessThanOrEqualTo(2);
        assertThat(m.forecast(T0 + 1500 * MIN, P).value()).isCloseTo(20, within(1.5));
    }

    @Test
    void shouldFindTheDailyPeriodAndForecastWithIt() {
        Random r = new Random(3);
        double[] v = new double[288 * 12];
        for (int i = 0; i < v.length; i++) {
            v[i] = 20 + 8 * Math.sin(2 * Math.PI * i / 288.0) + 0.3 * r.nextGaussian();
        }
        SeriesForecaster m = SeriesForecaster.create(P);
        feed(m, 5 * MIN, v);

        assertThat(m.seasonal()).isTrue();
        // An hour ahead the sine has moved by up to 1.7; the seasonal forecast stays close to it.
        long ts = T0 + (v.length + 11) * 5 * MIN;
        Forecast f = m.forecast(ts, P);
        double truth = 20 + 8 * Math.sin(2 * Math.PI * (v.length + 11) / 288.0);
        assertThat(f.value()).isCloseTo(truth, within(1.0));
        assertThat(f.model()).isEqualTo("holt-winters");
        assertThat(f.lower()).isLessThan(f.value());
        assertThat(f.upper()).isGreaterThan(f.value());
    }

    @Test
    void shouldMoveToANewLevelAfterAShift() {
        double[] v = noisy(1600, 20, 0.5, 4);
        for (int i = 1200; i < v.length; i++) {
            v[i] += 10;
        }
        SeriesForecaster m = SeriesForecaster.create(P);
        List<Step> steps = feed(m, MIN, v);

        assertThat(steps.subList(1200, 1200 + P.shiftRun())).allMatch(Step::anomalous);
        assertThat(steps.subList(1200, 1210)).anyMatch(s -> s.kind() == AnomalyKind.LEVEL_SHIFT);
        assertThat(steps.subList(1300, 1600)).filteredOn(Step::anomalous).hasSizeLessThan(5);
        assertThat(m.forecast(T0 + 1600 * MIN, P).value()).isCloseTo(30, within(1.0));
    }

    @Test
    void shouldReportAStuckSensor() {
        double[] v = noisy(1400, 20, 1, 5);
        for (int i = 1300; i < v.length; i++) {
            v[i] = v[1299];
        }
        List<Step> steps = feed(SeriesForecaster.create(P), MIN, v);
        assertThat(steps.subList(1300, 1400)).anyMatch(s -> s.kind() == AnomalyKind.STUCK);
        assertThat(steps.subList(150, 1300)).noneMatch(s -> s.kind() == AnomalyKind.STUCK);
    }

    @Test
    void shouldReportASlowDrift() {
        double[] v = noisy(2000, 20, 1, 6);
        for (int i = 1500; i < v.length; i++) {
            v[i] += (i - 1500) * 0.1;
        }
        List<Step> steps = feed(SeriesForecaster.create(P), MIN, v);
        assertThat(steps.subList(1500, 2000)).anyMatch(Step::anomalous);
    }

    @Test
    void shouldEstimateTheTimeUntilARisingMetricCrossesItsMaximum() {
        double[] v = new double[600];
        for (int i = 0; i < v.length; i++) {
            v[i] = 50 + 0.05 * i;
        }
        SeriesForecaster m = SeriesForecaster.create(P);
        feed(m, MIN, v);
        // Level about 80 at the last reading, rising 0.05 a minute: 100 is about 400 minutes away.
        Long eta = m.thresholdEtaMs(0.0, 100.0, 30 * DAY);
        assertThat(eta).isNotNull();
        assertThat(eta / (double) MIN).isCloseTo(400, within(20.0));
        assertThat(m.thresholdEtaMs(null, null, 30 * DAY)).isNull();
        assertThat(m.thresholdEtaMs(0.0, 100.0, MIN)).isNull();
        assertThat(m.thresholdEtaMs(0.0, 70.0, 30 * DAY)).isZero();
    }

    @Test
    void shouldExpectTheStepIntoMondayOnTheFirstReadingAfterTheLearningWeek() {
        // T0 is a Monday: a signal 2 lower on weekends, read every 5 minutes for 8 days.
        Random r = new Random(5);
        SeriesForecaster m = SeriesForecaster.create(P);
        List<Step> afterWeek = new ArrayList<>();
        for (int i = 0; i < 8 * 288; i++) {
            long ts = T0 + i * 5 * MIN;
            boolean weekend = (i / 288) % 7 >= 5;
            Step step = m.observe(ts, 20 - (weekend ? 2 : 0) + 0.2 * r.nextGaussian(), P);
            if (ts >= T0 + 7 * DAY && ts < T0 + 7 * DAY + 60 * MIN) {
                afterWeek.add(step);
            }
        }
        assertThat(m.week).isNotNull();
        assertThat(afterWeek).noneMatch(Step::anomalous);
    }

    @Test
    void shouldReportASustainedShiftTooSmallForTheZScoreAlone() {
        // A shift of 6 noise sigma: the first reading's score mostly stays under the threshold of 6 (the errors'
        // scale is wider than the noise), and the level follows. Over 20 noise draws, most are still reported.
        int reported = 0;
        for (long seed = 1; seed <= 20; seed++) {
            double[] v = noisy(1200, 20, 0.5, seed);
            for (int i = 1000; i < v.length; i++) {
                v[i] += 6 * 0.5;
            }
            List<Step> steps = feed(SeriesForecaster.create(P), MIN, v);
            reported += steps.subList(1000, 1010).stream().anyMatch(s -> s.kind() == AnomalyKind.LEVEL_SHIFT) ? 1 : 0;
        }
        assertThat(reported).isGreaterThanOrEqualTo(12);
    }

    @Test
    void shouldFillProfileBinsWithoutReadingsFromTheirNeighboursAroundTheClock() {
        double[] profile = {Double.NaN, 1, Double.NaN, Double.NaN, 4, Double.NaN};
        SeriesForecaster.fillGaps(profile);
        assertThat(profile).containsExactly(new double[] {2, 1, 2, 3, 4, 3}, within(1e-9));

        double[] empty = {Double.NaN, Double.NaN};
        SeriesForecaster.fillGaps(empty);
        assertThat(empty).containsExactly(0, 0);
    }

    @Test
    void shouldRefuseParametersOutOfRange() {
        assertThatThrownBy(() -> P.withSmoothing(0, 0.1, 0.1)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> P.withSmoothing(0.5, 2, 0.1)).hasMessageContaining("beta");
    }
}
