package io.streamthings.devicemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesPlanTest {

    private static final long NOW = 1_764_131_000_000L;
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    @Test
    void shouldReadRawPointsAsStoredForAnHourOrLess() {
        SeriesPlan plan = SeriesPlan.plan(NOW - HOUR, NOW, null, Agg.MEAN, 1000, NOW);

        assertThat(plan.source()).isEqualTo(SeriesSource.RAW);
        assertThat(plan.storedIfFits()).isTrue();
        assertThat(plan.intervalName(true)).isEqualTo("raw");
        // the fallback when more than 1000 readings are in range: 3600 s / 1000 rounds up to 5 s buckets
        assertThat(plan.bucketMs()).isEqualTo(5_000);
    }

    @Test
    void shouldReadMinuteWindowsUpToSevenDays() {
        SeriesPlan sixHours = SeriesPlan.plan(NOW - 6 * HOUR, NOW, "", Agg.MAX, 1000, NOW);
        SeriesPlan twoDays = SeriesPlan.plan(NOW - 2 * DAY, NOW, null, Agg.MAX, 1000, NOW);
        SeriesPlan week = SeriesPlan.plan(NOW - 7 * DAY, NOW, null, Agg.MAX, 1000, NOW);

        assertThat(sixHours.source()).isEqualTo(SeriesSource.MINUTE);
        assertThat(sixHours.bucketMs()).isEqualTo(MIN);
        assertThat(sixHours.storedIfFits()).isFalse();
        assertThat(twoDays.source()).isEqualTo(SeriesSource.MINUTE);
        assertThat(twoDays.bucketMs()).isEqualTo(5 * MIN); // 2880 minutes would be too many points
        assertThat(week.source()).isEqualTo(SeriesSource.MINUTE);
        assertThat(week.bucketMs()).isEqualTo(15 * MIN);
    }

    @Test
    void shouldReadHourlyRollupsBeyondSevenDaysAndDailyOnesBeyondNinety() {
        SeriesPlan eightDays = SeriesPlan.plan(NOW - 8 * DAY, NOW, null, Agg.MEAN, 1000, NOW);
        SeriesPlan month = SeriesPlan.plan(NOW - 30 * DAY, NOW, null, Agg.MEAN, 1000, NOW);
        SeriesPlan ninetyDays = SeriesPlan.plan(NOW - 90 * DAY, NOW, null, Agg.MEAN, 1000, NOW);
        SeriesPlan year = SeriesPlan.plan(NOW - 365 * DAY, NOW, null, Agg.MEAN, 1000, NOW);

        assertThat(eightDays.source()).isEqualTo(SeriesSource.HOUR);
        assertThat(eightDays.bucketMs()).isEqualTo(HOUR);
        assertThat(month.source()).isEqualTo(SeriesSource.HOUR);
        assertThat(month.bucketMs()).isEqualTo(HOUR);
        assertThat(ninetyDays.source()).isEqualTo(SeriesSource.HOUR);
        assertThat(ninetyDays.bucketMs()).isEqualTo(3 * HOUR);
        assertThat(year.source()).isEqualTo(SeriesSource.DAY);
        assertThat(year.bucketMs()).isEqualTo(DAY);
        assertThat(year.intervalName(false)).isEqualTo("1d");
    }

    @Test
    void shouldReadTheCoarsestSeriesWhoseWindowsFitTheBucket() {
        // a week at 100 points: 2-hour buckets, so hourly rollups rather than 120 minute windows a bucket
        assertThat(SeriesPlan.plan(NOW - 7 * DAY, NOW, null, Agg.MEAN, 100, NOW).source()).isEqualTo(SeriesSource.HOUR);
        assertThat(SeriesPlan.plan(NOW - DAY, NOW, "90m", Agg.MEAN, 1000, NOW).source()).isEqualTo(SeriesSource.MINUTE);
        assertThat(SeriesPlan.plan(NOW - DAY, NOW, "1h", Agg.MEAN, 1000, NOW).source()).isEqualTo(SeriesSource.HOUR);
        assertThat(SeriesPlan.plan(NOW - 30 * DAY, NOW, "2d", Agg.MEAN, 1000, NOW).source())
                .isEqualTo(SeriesSource.DAY);
        assertThat(SeriesSource.windowsFor(7 * DAY)).isEqualTo(SeriesSource.DAY);
        assertThat(SeriesSource.windowsFor(12 * HOUR)).isEqualTo(SeriesSource.HOUR);
        assertThat(SeriesSource.windowsFor(15 * MIN)).isEqualTo(SeriesSource.MINUTE);
        assertThat(SeriesSource.DAY.andFiner()).containsExactly(SeriesSource.DAY, SeriesSource.HOUR,
                SeriesSource.MINUTE);
    }

    @Test
    void shouldReadMinuteWindowsForAShortRangeOlderThanTheRawRetention() {
        SeriesPlan plan = SeriesPlan.plan(NOW - 30 * DAY, NOW - 30 * DAY + HOUR, null, Agg.MEAN, 1000, NOW);

        assertThat(plan.source()).isEqualTo(SeriesSource.MINUTE);
    }

    @Test
    void shouldReadHourlyRollupsForARangeOlderThanTheMinuteWindowsRetention() {
        SeriesPlan plan = SeriesPlan.plan(NOW - 100 * DAY, NOW - 99 * DAY, null, Agg.MEAN, 1000, NOW);

        assertThat(plan.source()).isEqualTo(SeriesSource.HOUR);
        assertThat(plan.bucketMs()).isEqualTo(HOUR);
    }

    @Test
    void shouldNeverPlanMoreBucketsThanMaxPoints() {
        long[] ranges = {1_000, MIN, HOUR, 6 * HOUR, DAY, 2 * DAY, 7 * DAY, 60 * DAY, 365 * DAY, 10 * 365 * DAY};
        int[] maxes = {1, 2, 7, 100, 999, 1000, 10_000};
        String[] intervals = {null, "1m", "5m", "1h", "1d"};
        for (long range : ranges) {
            for (int max : maxes) {
                for (String interval : intervals) {
                    long from = NOW - range - 12_345; // not aligned to any bucket
                    SeriesPlan plan = SeriesPlan.plan(from, NOW, interval, Agg.MEAN, max, NOW);
                    assertThat(SeriesPlan.bucketCount(from, NOW, plan.bucketMs()))
                            .as("range %d max %d interval %s bucket %d", range, max, interval, plan.bucketMs())
                            .isLessThanOrEqualTo(max);
                }
            }
        }
    }

    @Test
    void shouldKeepAnExplicitIntervalWhenItFitsAndGrowItWhenNot() {
        assertThat(SeriesPlan.plan(NOW - DAY, NOW, "15m", Agg.MEAN, 1000, NOW).bucketMs()).isEqualTo(15 * MIN);
        assertThat(SeriesPlan.plan(NOW - 30 * DAY, NOW, "1m", Agg.MEAN, 1000, NOW).bucketMs()).isEqualTo(HOUR);
        assertThat(SeriesPlan.plan(NOW - DAY, NOW, "90s", Agg.MEAN, 1000, NOW).bucketMs()).isEqualTo(2 * MIN);
        SeriesPlan tenSeconds = SeriesPlan.plan(NOW - HOUR, NOW, "10s", Agg.MEAN, 1000, NOW);
        assertThat(tenSeconds.source()).isEqualTo(SeriesSource.RAW);
        assertThat(tenSeconds.storedIfFits()).isFalse();
        assertThat(tenSeconds.bucketMs()).isEqualTo(10_000);
    }

    @Test
    void shouldRefuseRawForMoreThanADay() {
        assertThat(SeriesPlan.plan(NOW - DAY, NOW, "raw", Agg.MEAN, 1000, NOW).source()).isEqualTo(SeriesSource.RAW);
        assertThatThrownBy(() -> SeriesPlan.plan(NOW - 3 * DAY, NOW, "raw", Agg.MEAN, 1000, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval raw covers at most 1d");
        assertThatThrownBy(() -> SeriesPlan.plan(NOW - 3 * DAY, NOW, "10s", Agg.MEAN, 1000, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseBadRangesIntervalsAndMaxPoints() {
        assertThatThrownBy(() -> SeriesPlan.plan(NOW, NOW - 1, null, Agg.MEAN, 1000, NOW))
                .hasMessage("from must be before to");
        assertThatThrownBy(() -> SeriesPlan.plan(NOW, NOW, null, Agg.MEAN, 1000, NOW))
                .hasMessage("from must be before to");
        assertThatThrownBy(() -> SeriesPlan.plan(NOW - 1, NOW, null, Agg.MEAN, 0, NOW))
                .hasMessageContaining("maxPoints");
        assertThatThrownBy(() -> SeriesPlan.plan(NOW - 1, NOW, null, Agg.MEAN, 10_001, NOW))
                .hasMessageContaining("maxPoints");
        for (String bad : new String[] {"fast", "0m", "-1m", "1y", "1 m", "1m; DROP"}) {
            assertThatThrownBy(() -> SeriesPlan.plan(NOW - 1, NOW, bad, Agg.MEAN, 10, NOW))
                    .as(bad).hasMessageStartingWith("interval: expected raw or a duration");
        }
    }

    @Test
    void shouldParseAggregationsAndNameTheAcceptedOnes() {
        assertThat(Agg.parse(null)).isEqualTo(Agg.MEAN);
        assertThat(Agg.parse("MAX")).isEqualTo(Agg.MAX);
        assertThatThrownBy(() -> Agg.parse("median"))
                .hasMessage("agg: expected one of mean, min, max, last, count, sum, got median");
    }
}
