package io.streamthings.benchmarks;

import io.streamthings.common.influx.LineProtocol;
import io.streamthings.common.influx.WindowPoint;
import io.streamthings.common.influx.WindowSeries;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.batch.RollupJob;
import io.streamthings.flink.batch.RollupJobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;

/**
 * Time of the rollup batch job ({@link RollupJob}) for one day of a fleet: {@code devices} devices sending one record a
 * second with one metric are 60 readings per device-minute, so the real-time job leaves {@code devices * 1440} minute
 * windows for the day in {@code telemetry_1m}; this harness writes exactly those into a real influxd (the batch job
 * reads the minute windows, never the raw readings), then times the hourly rollup of the day and the daily rollup of
 * its hours, each a batch job in a local MiniCluster, as the standalone scheduler runs them.
 *
 * <p>Options: {@code devices} (1000), {@code parallelism} (2), {@code out}.
 */
public final class RollupBenchmark {

    private RollupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchmarkArgs.parse(args);
        int devices = Integer.parseInt(opts.getOrDefault("devices", "1000"));
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", "2"));
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/rollup.md"));
        Path dir = Files.createTempDirectory("rollup-bench");
        long day = (System.currentTimeMillis() / 86_400_000L - 2) * 86_400_000L;
        try (InfluxServer server = InfluxServer.start(dir.resolve("influx"), 0)) {
            InfluxDB influx = InfluxDBFactory.connect(server.url());
            influx.query(new Query("CREATE DATABASE bench"));
            influx.query(new Query("CREATE RETENTION POLICY rp_1m ON bench DURATION 90d REPLICATION 1"));
            long writeStart = System.nanoTime();
            Random random = new Random(1);
            LineProtocol lines = new LineProtocol(8 << 20);
            long points = 0;
            for (int m = 0; m < 1440; m++) {
                long start = day + m * 60_000L;
                for (int d = 0; d < devices; d++) {
                    double min = 15 + random.nextDouble();
                    WindowSeries.MINUTE.write(WindowPoint.of("acme", "thermo", "dev-" + d, "temperature", start, 60,
                            min, min + 2, 60 * (min + 1), min + 1, start + 59_000, min + 1.9, start + 59_100), lines);
                    points++;
                }
                if (lines.lines() >= 50_000) {
                    influx.write("bench", "rp_1m", InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS,
                            lines.take());
                }
            }
            if (!lines.isEmpty()) {
                influx.write("bench", "rp_1m", InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines.take());
            }
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

            long hourStart = System.nanoTime();
            RollupJob.run(new RollupJobConfig(server.url(), "bench", List.of(WindowSeries.HOUR), day,
                    day + 86_400_000L, parallelism, "INF", "INF"), () -> local(parallelism));
            double hourSeconds = (System.nanoTime() - hourStart) / 1e9;
            long dayStart = System.nanoTime();
            RollupJob.run(new RollupJobConfig(server.url(), "bench", List.of(WindowSeries.DAY), day,
                    day + 86_400_000L, parallelism, "INF", "INF"), () -> local(parallelism));
            double daySeconds = (System.nanoTime() - dayStart) / 1e9;
            String hourly = server.query("SELECT count(\"count\") FROM \"bench\".\"rp_1h\".\"telemetry_1h\"");
            String daily = server.query("SELECT count(\"count\") FROM \"bench\".\"rp_1d\".\"telemetry_1d\"");
            influx.close();

            String md = String.format(Locale.ROOT, "# Rollup batch job: one day of a fleet%n%n"
                    + "Generated %s by `RollupBenchmark` (`benchmarks/run.sh rollup`) on this machine (2 cores, shared)"
                    + ". %,d devices at one record a second with one metric = %,d readings a day, which the real-time "
                    + "job leaves as %,d minute windows in `telemetry_1m`; those are written into a real influxd "
                    + "(%.1f s, not part of the batch time), then rolled up by `RollupJob` at parallelism %d, each run a "
                    + "batch job in a local MiniCluster of its own (start-up included), as the standalone scheduler "
                    + "runs it.%n%n| run | reads | writes | seconds |%n|---|---|---|---|%n"
                    + "| hours of the day | %,d minute windows | %,d hourly points | %.1f |%n"
                    + "| the day from its hours | %,d hourly points | %,d daily points | %.1f |%n"
                    + "| **both** | | | **%.1f** (target: under 60) |%n%nInfluxDB's counts after the runs: hourly %s; "
                    + "daily %s.%n", Instant.now().toString().substring(0, 16) + "Z", devices, devices * 86_400L,
                    points, writeSeconds, parallelism, points, devices * 24L, hourSeconds, devices * 24L, devices,
                    daySeconds, hourSeconds + daySeconds, count(hourly), count(daily));
            System.out.print(md);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md);
        }
    }

    private static String count(String json) {
        int i = json.lastIndexOf(',');
        int j = json.indexOf(']', i);
        return i < 0 || j < 0 ? json : json.substring(i + 1, j);
    }

    private static StreamExecutionEnvironment local(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }
}
