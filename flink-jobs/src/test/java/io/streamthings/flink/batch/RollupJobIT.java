package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamthings.common.influx.LineProtocol;
import io.streamthings.common.influx.WindowPoint;
import io.streamthings.common.influx.WindowSeries;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.testkit.InfluxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RollupJob} on a MiniCluster at parallelism 2 against a real influxd: minute windows of known raw readings go
 * in, and the hourly and daily rollups that come out must equal the aggregates computed straight from those readings;
 * a second run over the same range must leave every point as it was.
 */
class RollupJobIT {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final String DB = "rollups";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final InfluxExtension INFLUX = new InfluxExtension();

    private static InfluxServer influxServer;
    private static InfluxDB influx;

    @BeforeAll
    static void connect() {
        influxServer = INFLUX.server();
        influx = InfluxDBFactory.connect(influxServer.url());
    }

    @AfterAll
    static void disconnect() {
        if (influx != null) {
            influx.close();
        }
    }

    /** One raw reading. */
    private record Reading(String deviceId, String metric, long ts, double value, long receivedAt) {
    }

    @Test
    void shouldRollUpHoursAndDaysEqualToTheRawReadingsAndChangeNothingWhenRunTwice() throws Exception {
        // Given two days of raw readings of two devices and two metrics (with a silent hour), and the minute windows
        // the real-time job would have written for them
        long day0 = (System.currentTimeMillis() / DAY - 3) * DAY;
        List<Reading> readings = readings(day0, 2 * DAY);
        writeMinuteWindows(readings);

        // When the rollup job runs over the two days (the range given off the day boundaries), twice
        RollupJobConfig config = new RollupJobConfig(influxServer.url(), DB, List.of(WindowSeries.HOUR,
                WindowSeries.DAY), day0 + 5 * HOUR + 7, day0 + DAY + 1, 2, "INF", "INF");
        RollupJob.run(config, StreamExecutionEnvironment::getExecutionEnvironment);
        List<Map<String, Object>> hoursFirst = rows(WindowSeries.HOUR);
        List<Map<String, Object>> daysFirst = rows(WindowSeries.DAY);
        RollupJob.run(config, StreamExecutionEnvironment::getExecutionEnvironment);

        // Then every hourly and daily point equals the aggregates of its raw readings
        assertEqualToReadings(hoursFirst, expected(readings, HOUR));
        assertEqualToReadings(daysFirst, expected(readings, DAY));
        // and the second run changed nothing
        assertThat(rows(WindowSeries.HOUR)).isEqualTo(hoursFirst);
        assertThat(rows(WindowSeries.DAY)).isEqualTo(daysFirst);
    }

    private static List<Reading> readings(long start, long length) {
        Random random = new Random(7);
        List<Reading> out = new ArrayList<>();
        for (String device : List.of("d1", "d2")) {
            for (String metric : List.of("temperature", "humidity")) {
                for (long ts = start + random.nextInt(30_000); ts < start + length; ts += 20_000 + random.nextInt(
                        100_000)) {
                    // A silent hour of d2: no rollup point may appear for it.
                    if (device.equals("d2") && ts >= start + 30 * HOUR && ts < start + 31 * HOUR) {
                        continue;
                    }
                    double value = Math.round((20 + 5 * Math.sin(ts / 3.6e6) + random.nextGaussian()) * 1000) / 1000.0;
                    out.add(new Reading(device, metric, ts, value, ts + random.nextInt(2_000)));
                }
            }
        }
        return out;
    }

    private static void writeMinuteWindows(List<Reading> readings) {
        influx.query(new Query("CREATE DATABASE \"" + DB + "\""));
        influx.query(new Query("CREATE RETENTION POLICY \"rp_1m\" ON \"" + DB + "\" DURATION 90d REPLICATION 1"));
        Map<String, List<Reading>> byMinute = new TreeMap<>();
        for (Reading r : readings) {
            byMinute.computeIfAbsent(r.deviceId + "/" + r.metric + "/" + (r.ts / MINUTE), k -> new ArrayList<>())
                    .add(r);
        }
        LineProtocol lines = new LineProtocol(1 << 20);
        for (List<Reading> window : byMinute.values()) {
            Reading first = window.get(0);
            Reading last = window.stream().max((a, b) -> Long.compare(a.ts, b.ts)).orElseThrow();
            double[] values = window.stream().mapToDouble(Reading::value).sorted().toArray();
            WindowSeries.MINUTE.write(WindowPoint.of("acme", "thermo", first.deviceId, first.metric,
                    first.ts / MINUTE * MINUTE, values.length, values[0], values[values.length - 1],
                    window.stream().mapToDouble(Reading::value).sum(), last.value, last.ts,
                    values[(int) Math.ceil(0.95 * values.length) - 1],
                    window.stream().mapToLong(Reading::receivedAt).max().orElseThrow()), lines);
            if (lines.lines() >= 5_000) {
                influx.write(DB, "rp_1m", InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines.take());
            }
        }
        if (!lines.isEmpty()) {
            influx.write(DB, "rp_1m", InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines.take());
        }
    }

    /** The aggregates per device, metric and window of {@code windowMs}, computed from the readings alone. */
    private static Map<String, double[]> expected(List<Reading> readings, long windowMs) {
        Map<String, double[]> out = new HashMap<>();
        for (Reading r : readings) {
            String key = r.deviceId + "/" + r.metric + "/" + (r.ts / windowMs * windowMs);
            double[] a = out.computeIfAbsent(key, k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE, 0,
                    Long.MIN_VALUE, 0});
            a[0]++;
            a[1] += r.value;
            a[2] = Math.min(a[2], r.value);
            a[3] = Math.max(a[3], r.value);
            if (r.ts > a[5]) {
                a[4] = r.value;
                a[5] = r.ts;
            }
            a[6] = Math.max(a[6], r.receivedAt);
        }
        return out;
    }

    private static void assertEqualToReadings(List<Map<String, Object>> rows, Map<String, double[]> expected) {
        assertThat(rows).hasSize(expected.size());
        for (Map<String, Object> row : rows) {
            String key = row.get("deviceId") + "/" + row.get("metric") + "/" + ((Number) row.get("time")).longValue();
            double[] e = expected.get(key);
            assertThat(e).as(key).isNotNull();
            assertThat(num(row, "count")).as(key).isEqualTo(e[0]);
            assertThat(num(row, "sum")).as(key).isCloseTo(e[1], within(1e-6));
            assertThat(num(row, "mean")).as(key).isCloseTo(e[1] / e[0], within(1e-9));
            assertThat(num(row, "min")).as(key).isEqualTo(e[2]);
            assertThat(num(row, "max")).as(key).isEqualTo(e[3]);
            assertThat(num(row, "last")).as(key).isEqualTo(e[4]);
            assertThat(num(row, "lastTs")).as(key).isEqualTo(e[5]);
            assertThat(num(row, "maxReceivedAt")).as(key).isEqualTo(e[6]);
            assertThat(row.get("tenant")).isEqualTo("acme");
            assertThat(row.get("deviceType")).isEqualTo("thermo");
        }
    }

    private static double num(Map<String, Object> row, String field) {
        return ((Number) row.get(field)).doubleValue();
    }

    private static List<Map<String, Object>> rows(WindowSeries series) {
        QueryResult result = influx.query(new Query("SELECT * FROM \"" + series.retentionPolicy() + "\".\""
                + series.measurement() + "\" GROUP BY *", DB), TimeUnit.MILLISECONDS);
        assertThat(result.getError()).isNull();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Result r : result.getResults()) {
            assertThat(r.getError()).isNull();
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                for (List<Object> values : s.getValues()) {
                    Map<String, Object> row = new TreeMap<>(s.getTags());
                    for (int i = 0; i < s.getColumns().size(); i++) {
                        row.put(s.getColumns().get(i), values.get(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
