package io.streamthings.standalone;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SharedMetricRegistries;
import io.streamthings.flink.metrics.FlinkMetricsSummary;
import io.streamthings.flink.metrics.SnapshotMetricReporter;
import io.streamthings.flink.realtime.Checkpoints;
import io.streamthings.flink.realtime.RealtimeJob;
import io.streamthings.flink.realtime.RealtimeJobConfig;
import io.streamthings.flink.realtime.RealtimeJobConfig.Option;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the real-time Flink job ({@link RealtimeJob}) in a local MiniCluster inside the platform's JVM, at parallelism
 * 2, with its checkpoints under {@code <data>/flink/checkpoints}. A start resumes from the latest retained checkpoint
 * (windows in progress, Kafka offsets) when there is one; {@link #close()} cancels the job, which keeps its last
 * checkpoint for the next start and shuts the MiniCluster down.
 *
 * <p>Its figures (records in, aggregates out, Kafka lag, last checkpoint duration, late and undecodable records,
 * InfluxDB points) are registered as gauges {@code flink.realtime.*} in Dropwizard's default metric registry, the one
 * the admin port's {@code /metrics} serves.
 */
final class RealtimeJobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeJobRunner.class);
    private static final String GAUGE_PREFIX = "flink.realtime.";

    private final JobClient job;
    private final MetricRegistry registry;

    private RealtimeJobRunner(JobClient job, MetricRegistry registry) {
        this.job = job;
        this.registry = registry;
    }

    /**
     * Starts the job; returns once it is submitted (it then reads {@code telemetry.raw} from where it left off).
     *
     * @param dataDir the platform's data folder
     * @throws IllegalStateException when the job cannot be submitted
     */
    static RealtimeJobRunner start(Path dataDir, String kafkaBootstrap, String influxUrl, String database) {
        Path checkpoints = dataDir.resolve("flink").resolve("checkpoints");
        RealtimeJobConfig.Builder config = RealtimeJobConfig.builder()
                .set(Option.KAFKA_BOOTSTRAP, kafkaBootstrap)
                .set(Option.INFLUX_URL, influxUrl)
                .set(Option.INFLUX_DATABASE, database)
                .set(Option.PARALLELISM, 2)
                .set(Option.CHECKPOINT_DIR, checkpoints.toUri().toString());
        // The newest checkpoint with its _metadata (Flink writes that file last, by rename) is complete; a kill -9
        // can only leave newer ones unfinished. The rest are deleted, so the folder holds at most this one and the
        // job's own (it retains one; once its first completes, it deletes the claimed one).
        Optional<Path> restore = Checkpoints.latest(checkpoints);
        int pruned = Checkpoints.prune(checkpoints, restore);
        if (pruned > 0) {
            LOG.info("Deleted {} older or unfinished checkpoint folders under {}", pruned, checkpoints);
        }
        restore.ifPresent(chk -> config.set(Option.RESTORE_FROM, chk.toUri().toString()));

        Configuration cluster = new Configuration();
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        // Flink's REST endpoint stays on loopback and a free port (its default 8081 is the admin port's).
        cluster.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        cluster.set(RestOptions.BIND_PORT, "0");
        SnapshotMetricReporter.configure(cluster);
        quietFlinkLogging();
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cluster);
            RealtimeJob.build(env, config.build());
            JobClient job = env.executeAsync(RealtimeJob.JOB_NAME);
            MetricRegistry registry = SharedMetricRegistries.tryGetDefault();
            if (registry != null) {
                for (String name : FlinkMetricsSummary.NAMES) {
                    registry.gauge(GAUGE_PREFIX + name, () -> (Gauge<Number>) () ->
                            FlinkMetricsSummary.realtimeJob().get(name));
                }
            }
            LOG.info("Real-time Flink job {} started in a local MiniCluster ({}); metrics as flink.realtime.* on the "
                    + "admin port's /metrics", job.getJobID(),
                    restore.map(p -> "restored from " + p).orElse("no checkpoint to restore"));
            return new RealtimeJobRunner(job, registry);
        } catch (Exception e) {
            throw new IllegalStateException("the real-time Flink job did not start: " + e.getMessage(), e);
        }
    }

    /** Cancels the job (its last checkpoint is retained) and waits for the MiniCluster to stop. */
    @Override
    public void close() throws Exception {
        if (registry != null) {
            registry.removeMatching((name, metric) -> name.startsWith(GAUGE_PREFIX));
        }
        job.cancel().get(60, TimeUnit.SECONDS);
        LOG.info("Real-time Flink job stopped");
    }

    private static void quietFlinkLogging() {
        // Flink logs hundreds of start-up lines at INFO; under Dropwizard's logback, keep only its warnings.
        if (LoggerFactory.getLogger("org.apache.flink") instanceof ch.qos.logback.classic.Logger flink) {
            flink.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
