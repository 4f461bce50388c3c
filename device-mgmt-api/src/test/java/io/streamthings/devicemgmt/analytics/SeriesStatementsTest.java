package io.streamthings.devicemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesStatementsTest {

    private static final long NOW = 1_764_131_000_000L;

    @Test
    void shouldQuoteIdentifiersAndLiteralsSoNoInputLeavesItsQuotes() {
        assertThat(InfluxQl.identifier("temperature")).isEqualTo("\"temperature\"");
        assertThat(InfluxQl.identifier("a\" FROM x; DROP DATABASE y; --"))
                .isEqualTo("\"a\\\" FROM x; DROP DATABASE y; --\"");
        assertThat(InfluxQl.identifier("back\\\"slash")).isEqualTo("\"back\\\\\\\"slash\"");
        assertThat(InfluxQl.literal("d1' OR tenant='other")).isEqualTo("'d1\\' OR tenant=\\'other'");
        assertThat(InfluxQl.literal("ends with \\")).isEqualTo("'ends with \\\\'");
        assertThat(InfluxQl.literal("two\nlines")).isEqualTo("'two\\nlines'");
    }

    @Test
    void shouldFormatDurationsInTheLargestWholeUnit() {
        assertThat(InfluxQl.duration(500)).isEqualTo("500ms");
        assertThat(InfluxQl.duration(5_000)).isEqualTo("5s");
        assertThat(InfluxQl.duration(300_000)).isEqualTo("5m");
        assertThat(InfluxQl.duration(7_200_000)).isEqualTo("2h");
        assertThat(InfluxQl.duration(86_400_000)).isEqualTo("1d");
        assertThat(InfluxQl.duration(14 * 86_400_000L)).isEqualTo("2w");
    }

    @Test
    void shouldBindTenantDeviceAndMetricInsteadOfSplicingThem() {
        SeriesPlan plan = SeriesPlan.plan(NOW - 600_000, NOW, null, Agg.MEAN, 100, NOW);

        String stored = SeriesStatements.stored(plan, "temperature");

        assertThat(stored).isEqualTo("SELECT \"temperature\" AS \"value\" FROM \"raw\".\"telemetry\" WHERE "
                + "\"tenant\" = $tenant AND \"deviceId\" = $deviceId AND time >= " + (NOW - 600_000) + "ms AND time <= "
                + NOW + "ms LIMIT 101");
        assertThat(SeriesStatements.params("acme", "d1' OR '1'='1", "t"))
                .containsExactly(Map.entry("tenant", "acme"), Map.entry("deviceId", "d1' OR '1'='1"),
                        Map.entry("metric", "t"));
    }

    @Test
    void shouldReadForecastsOfTheBoundMetricFromTheDefaultPolicy() {
        assertThat(SeriesStatements.predictions(NOW - 3_600_000, NOW + 86_400_000, 1001)).isEqualTo("SELECT "
                + "\"forecast\", \"lower\", \"upper\", \"anomalyScore\", \"thresholdEtaMs\", \"madeAt\", "
                + "\"model\" FROM \"predictions\" WHERE \"tenant\" = $tenant AND \"deviceId\" = $deviceId AND "
                + "\"metric\" = $metric AND time >= " + (NOW - 3_600_000) + "ms AND time <= " + (NOW + 86_400_000)
                + "ms LIMIT 1001");
    }

    @Test
    void shouldGroupRawPointsWithTheAggregationAndTheBucket() {
        SeriesPlan plan = SeriesPlan.plan(NOW - 3_600_000, NOW, "10s", Agg.MAX, 1000, NOW);

        assertThat(SeriesStatements.grouped(plan, "temperature")).isEqualTo("SELECT max(\"temperature\") AS \"value\" "
                + "FROM \"raw\".\"telemetry\" WHERE \"tenant\" = $tenant AND \"deviceId\" = $deviceId AND time >= "
                + (NOW - 3_600_000) + "ms AND time <= " + NOW + "ms GROUP BY time(10s) fill(none)");
    }

    @Test
    void shouldWeighWindowsByTheirCountsForTheMean() {
        SeriesPlan plan = SeriesPlan.plan(NOW - 30 * 86_400_000L, NOW, null, Agg.MEAN, 1000, NOW);

        String grouped = SeriesStatements.grouped(plan, "temperature");

        assertThat(grouped).startsWith("SELECT sum(\"sum\") / sum(\"count\") AS \"value\" FROM "
                + "\"rp_1h\".\"telemetry_1h\" WHERE \"tenant\" = $tenant AND \"deviceId\" = $deviceId "
                + "AND \"metric\" = $metric AND time >= ");
        assertThat(grouped).endsWith("GROUP BY time(1h) fill(none)");
        assertThat(grouped).doesNotContain("temperature");
    }

    @Test
    void shouldReadPartsOfTheRangeFromOtherSeriesWithTheSameBucketAndAggregation() {
        SeriesPlan plan = SeriesPlan.plan(NOW - 365 * 86_400_000L, NOW, null, Agg.MAX, 1000, NOW);

        assertThat(SeriesStatements.latestWindow(plan.part(SeriesSource.HOUR, plan.fromMs(), plan.toMs())))
                .isEqualTo("SELECT last(\"count\") FROM \"rp_1h\".\"telemetry_1h\" WHERE \"tenant\" = $tenant AND "
                        + "\"deviceId\" = $deviceId AND \"metric\" = $metric AND time >= " + plan.fromMs()
                        + "ms AND time <= " + NOW + "ms");
        assertThat(SeriesStatements.grouped(plan.part(SeriesSource.MINUTE, NOW - 86_400_000L, NOW), "temperature"))
                .isEqualTo("SELECT max(\"max\") AS \"value\" FROM \"rp_1m\".\"telemetry_1m\" WHERE \"tenant\" = "
                        + "$tenant AND \"deviceId\" = $deviceId AND \"metric\" = $metric AND time >= "
                        + (NOW - 86_400_000L) + "ms AND time <= " + NOW + "ms GROUP BY time(1d) fill(none)");
    }

    @Test
    void shouldQuoteTheMetricInLatestStatements() {
        assertThat(SeriesStatements.latestValue("x\"y", NOW)).isEqualTo("SELECT last(\"x\\\"y\") AS \"value\" FROM "
                + "\"raw\".\"telemetry\" WHERE \"tenant\" = $tenant AND \"deviceId\" = $deviceId AND time >= " + NOW
                + "ms");
        assertThat(SeriesStatements.latestFields(NOW)).startsWith("SELECT last(*) FROM \"raw\".\"telemetry\" WHERE");
    }
}
