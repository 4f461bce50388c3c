package io.streamthings.standalone;

import io.streamthings.flink.predictive.PredictiveJob;
import io.streamthings.flink.predictive.PredictiveJobConfig;
import io.streamthings.flink.predictive.PredictiveJobConfig.Option;
import io.streamthings.flink.realtime.Checkpoints;
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
 * Runs the predictive Flink job ({@link PredictiveJob}) in a local MiniCluster of its own inside the platform's JVM, at
 * parallelism 1, beside the real-time job's; checkpoints (the models) under {@code <data>/flink/predictive}, resumed
 * from the latest at the next start. {@link #close()} cancels the job, keeping its last checkpoint.
 */
final class PredictiveJobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictiveJobRunner.class);

    private final JobClient job;

    private PredictiveJobRunner(JobClient job) {
        this.job = job;
    }

    /**
     * Starts the job; returns once it is submitted.
     *
     * @throws IllegalStateException when the job cannot be submitted
     */
    static PredictiveJobRunner start(Path dataDir, String kafkaBootstrap, String influxUrl, String database) {
        Path checkpoints = dataDir.resolve("flink").resolve("predictive");
        PredictiveJobConfig.Builder config = PredictiveJobConfig.builder()
                .set(Option.KAFKA_BOOTSTRAP, kafkaBootstrap)
                .set(Option.INFLUX_URL, influxUrl)
                .set(Option.INFLUX_DATABASE, database)
                .set(Option.PARALLELISM, 1)
                .set(Option.FORECAST_POINTS, 3)
                .set(Option.CHECKPOINT_DIR, checkpoints.toUri().toString());
        Optional<Path> restore = Checkpoints.latest(checkpoints);
        restore.ifPresent(chk -> config.set(Option.RESTORE_FROM, chk.toUri().toString()));
        Configuration cluster = new Configuration();
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        cluster.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        cluster.set(RestOptions.BIND_PORT, "0");
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cluster);
            PredictiveJob.build(env, config.build());
            JobClient job = env.executeAsync(PredictiveJob.JOB_NAME);
            LOG.info("Predictive Flink job {} started in a local MiniCluster ({})", job.getJobID(),
                    restore.map(p -> "restored from " + p).orElse("no checkpoint to restore"));
            return new PredictiveJobRunner(job);
        } catch (Exception e) {
            throw new IllegalStateException("the predictive Flink job did not start: " + e.getMessage(), e);
        }
    }

    /** Cancels the job (its last checkpoint is retained) and waits for its MiniCluster to stop. */
    @Override
    public void close() throws Exception {
        job.cancel().get(60, TimeUnit.SECONDS);
        LOG.info("Predictive Flink job stopped");
    }
}
