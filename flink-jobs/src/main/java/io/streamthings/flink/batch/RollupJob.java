package io.streamthings.flink.batch;

import io.streamthings.common.influx.WindowSeries;
import io.streamthings.flink.influx.InfluxSink;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rollup batch job: rolls the 1-minute windows of {@code telemetry_1m} up into hourly windows in
 * {@code telemetry_1h}, and those into daily windows in {@code telemetry_1d}, over a range of time, in Flink's batch
 * execution mode. Every rollup has the fields of the minute windows, combined exactly ({@link Rollups}).
 *
 * <p>Idempotent: a rollup point has the tags of its series and the start of its window as its time, so a rerun over
 * the same range writes the same points over the first ones; a rerun after late data reached the minute windows
 * corrects them. That makes backfill and reprocessing one thing: run it over the range.
 *
 * <p>Per series one Flink job: the hours must be in InfluxDB before the days are read from them. Each job spreads the
 * target windows of the range over its subtasks; a subtask reads the finer windows of one target window and combines
 * them per series in time order ({@link ReadFinerWindows} says why there and not in a keyed reduce), and the results
 * are written with the real-time job's {@link InfluxSink}.
 */
public final class RollupJob {

    /** The job's name in Flink, followed by the series. */
    public static final String JOB_NAME = "streamthings-rollup";

    private RollupJob() {
    }

    /** {@code RollupJob --from 2026-12-01 --to 2026-12-02 [--series all] [--influx.url ...]}. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(RollupJobConfig.usage());
            return;
        }
        RollupJobConfig config;
        try {
            config = RollupJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(config, StreamExecutionEnvironment::getExecutionEnvironment);
    }

    /** Where each series' job runs: a fresh environment per job (a cluster's, or a local one). */
    @FunctionalInterface
    public interface Environments {
        /** A new environment. */
        StreamExecutionEnvironment create();
    }

    /** Runs the rollups of every configured series, finer first, each to its end. */
    public static void run(RollupJobConfig config, Environments environments) throws Exception {
        for (WindowSeries target : config.series()) {
            StreamExecutionEnvironment env = environments.create();
            build(env, config, target);
            env.execute(JOB_NAME + "-" + target.measurement());
        }
    }

    /** Adds the rollup of {@code target} over the configured range to {@code env}, in batch execution mode. */
    public static void build(StreamExecutionEnvironment env, RollupJobConfig config, WindowSeries target) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(config.parallelism());
        String retention = target == WindowSeries.HOUR ? config.retention1h() : config.retention1d();
        env.fromData(TypeInformation.of(Long.class), config.windowStarts(target).toArray(Long[]::new))
                .name("windows-" + target.measurement())
                .rebalance()
                .flatMap(new ReadFinerWindows(config.influxUrl(), config.database(), target))
                .name("rollup-" + Rollups.sourceOf(target).measurement())
                .sinkTo(new InfluxSink<RollupWindow>(config.influxUrl(), config.database(),
                        target.retentionPolicy(), 5_000, 1_000, target::write,
                        new CreatePolicies(config.database(), target.retentionPolicy(), retention)))
                .name("influx-" + target.measurement());
    }
}
