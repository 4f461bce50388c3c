package io.streamthings.standalone;

import io.streamthings.common.influx.WindowSeries;
import io.streamthings.common.kafka.Topics;
import io.streamthings.flink.batch.Availability;
import io.streamthings.flink.batch.AvailabilityJob;
import io.streamthings.flink.batch.AvailabilityJobConfig;
import io.streamthings.common.influx.DayAvailability;
import io.streamthings.flink.batch.RollupJob;
import io.streamthings.flink.batch.RollupJobConfig;
import io.streamthings.flink.batch.RollupSchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the batch jobs in the platform's JVM: the availability of each closed day ({@link AvailabilityJob}, an hour after
 * the day, progress under {@code availability_1d.doneUntil} in the same file), and the rollup batch job
 * ({@link RollupJob}) once a minute when an hour or a day has closed
 * ({@link RollupSchedule}: five minutes of grace, catch-up of what was missed while the platform was down, progress in
 * {@code <data>/batch/rollups.properties}). Each run is a short batch job in a local MiniCluster of its own at
 * parallelism 1. A failed run (InfluxDB down, say) is logged and retried at the next tick; nothing is marked done
 * until its job finished.
 */
final class RollupRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RollupRunner.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollup-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Path stateFile;
    private final String kafkaBootstrap;
    private final String influxUrl;
    private final String database;

    private RollupRunner(Path dataDir, String kafkaBootstrap, String influxUrl, String database) {
        this.stateFile = dataDir.resolve("batch").resolve("rollups.properties");
        this.kafkaBootstrap = kafkaBootstrap;
        this.influxUrl = influxUrl;
        this.database = database;
    }

    /** Starts the schedule; the first check runs a minute after the start, when the real-time job is up. */
    static RollupRunner start(Path dataDir, String kafkaBootstrap, String influxUrl, String database) {
        RollupRunner runner = new RollupRunner(dataDir, kafkaBootstrap, influxUrl, database);
        runner.timer.scheduleWithFixedDelay(runner::tick, 1, 1, TimeUnit.MINUTES);
        LOG.info("Rollups to telemetry_1h and telemetry_1d and availability_1d scheduled; progress in {}",
                runner.stateFile);
        return runner;
    }

    /** Rolls up whatever is due, hours first, then the availability of the closed days. */
    void tick() {
        // Each on its own: a failed rollup (InfluxDB down) must not hold back the availability, nor the other way.
        // Why not rethrow: the executor would cancel the schedule for good; the next tick retries instead.
        try {
            rollups();
        } catch (Exception e) {
            LOG.warn("Rollup run failed, retried in a minute: {}", e.toString());
        }
        try {
            availability();
        } catch (Exception e) {
            LOG.warn("Availability run failed, retried in a minute: {}", e.toString());
        }
    }

    private void availability() throws Exception {
        String key = RollupSchedule.key(DayAvailability.MEASUREMENT);
        Optional<long[]> due = AvailabilityJob.SCHEDULE.due(Availability.DAY_MS,
                RollupSchedule.doneUntil(stateFile, key), Long.MAX_VALUE, System.currentTimeMillis());
        if (due.isEmpty()) {
            return;
        }
        long[] range = due.get();
        long started = System.nanoTime();
        AvailabilityJobConfig config = new AvailabilityJobConfig(kafkaBootstrap, Topics.DEVICE_EVENTS.name(),
                influxUrl, database, range[0], range[1], 7 * Availability.DAY_MS, 3_600_000L, 1, "INF");
        StreamExecutionEnvironment env = localEnvironment();
        AvailabilityJob.build(env, config);
        env.execute(AvailabilityJob.JOB_NAME);
        RollupSchedule.markDone(stateFile, key, range[1]);
        LOG.info("Computed availability_1d from {} to {} in {} ms", java.time.Instant.ofEpochMilli(range[0]),
                java.time.Instant.ofEpochMilli(range[1]), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void rollups() throws Exception {
        for (WindowSeries series : List.of(WindowSeries.HOUR, WindowSeries.DAY)) {
            Long done = RollupSchedule.doneUntil(stateFile, series);
            Long hoursDone = RollupSchedule.doneUntil(stateFile, WindowSeries.HOUR);
            Optional<long[]> due = RollupSchedule.DEFAULT.due(series, done, hoursDone,
                    System.currentTimeMillis());
            if (due.isEmpty()) {
                continue;
            }
            long[] range = due.get();
            long started = System.nanoTime();
            RollupJobConfig config = new RollupJobConfig(influxUrl, database, List.of(series), range[0],
                    range[1], 1, "INF", "INF");
            RollupJob.run(config, RollupRunner::localEnvironment);
            RollupSchedule.markDone(stateFile, series, range[1]);
            LOG.info("Rolled up {} from {} to {} in {} ms", series.measurement(),
                    java.time.Instant.ofEpochMilli(range[0]), java.time.Instant.ofEpochMilli(range[1]),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    private static StreamExecutionEnvironment localEnvironment() {
        Configuration cluster = new Configuration();
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        cluster.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        cluster.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(cluster);
    }

    /** Stops the schedule, waiting for a run in progress to end. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        if (!timer.awaitTermination(60, TimeUnit.SECONDS)) {
            LOG.warn("A rollup run was still going at shutdown; it is redone at the next start");
        }
    }
}
