package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealtimeJobConfigTest {

    @Test
    void shouldUseTheDefaultsWhenNoOptionIsGiven() {
        RealtimeJobConfig c = RealtimeJobConfig.parse(new String[0]);
        assertThat(c.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(c.topicRaw()).isEqualTo("telemetry.raw");
        assertThat(c.windowSizeMs()).isEqualTo(60_000);
        assertThat(c.parallelism()).isEqualTo(2);
        assertThat(c.retentionRaw()).isEqualTo("7d");
        assertThat(c.retention1m()).isEqualTo("90d");
        assertThat(c.retention1h()).isEqualTo("INF");
        assertThat(c.checkpointDir()).isEmpty();
        assertThat(c).isEqualTo(RealtimeJobConfig.defaults());
    }

    @Test
    void shouldParseBothOptionForms() {
        RealtimeJobConfig c = RealtimeJobConfig.parse(new String[] {"--parallelism", "4",
            "--influx.url=http://influx:8086", "--checkpoint.dir", "file:///tmp/chk"});
        assertThat(c.parallelism()).isEqualTo(4);
        assertThat(c.influxUrl()).isEqualTo("http://influx:8086");
        assertThat(c.checkpointDir()).contains("file:///tmp/chk");
    }

    @Test
    void shouldRejectAnUnknownOptionABadNumberAndABadRetentionNamingTheOption() {
        assertThatThrownBy(() -> RealtimeJobConfig.parse(new String[] {"--paralelism", "2"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --paralelism");
        assertThatThrownBy(() -> RealtimeJobConfig.parse(new String[] {"--window.sizeMs", "1m"}))
                .hasMessageContaining("--window.sizeMs expects a whole number");
        assertThatThrownBy(() -> RealtimeJobConfig.parse(new String[] {"--parallelism", "0"}))
                .hasMessageContaining("--parallelism must be positive");
        assertThatThrownBy(() -> RealtimeJobConfig.parse(new String[] {"--retention.raw", "7 days"}))
                .hasMessageContaining("--retention.raw expects an InfluxQL duration");
        assertThatThrownBy(() -> RealtimeJobConfig.parse(new String[] {"--influx.database", "a;b"}))
                .hasMessageContaining("--influx.database");
        assertThatThrownBy(() -> RealtimeJobConfig.parse(new String[] {"--parallelism"}))
                .hasMessageContaining("needs a value");
    }

    @Test
    void shouldTurnCheckpointAndRestoreOptionsIntoFlinkSettings() {
        Configuration conf = RealtimeJob.flinkConfiguration(RealtimeJobConfig.builder()
                .set(RealtimeJobConfig.Option.CHECKPOINT_DIR, "file:///tmp/chk")
                .set(RealtimeJobConfig.Option.RESTORE_FROM, "file:///tmp/chk/job/chk-3")
                .set(RealtimeJobConfig.Option.CHECKPOINT_INTERVAL_MS, 2_000)
                .build());
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/chk");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).hasMillis(2_000);
        assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo("file:///tmp/chk/job/chk-3");
    }

    @Test
    void shouldFindTheLatestCompleteCheckpoint(@TempDir Path dir) throws Exception {
        assertThat(Checkpoints.latest(dir.resolve("missing"))).isEmpty();
        Path older = Files.createDirectories(dir.resolve("job-a/chk-4"));
        Files.writeString(older.resolve("_metadata"), "x");
        Files.setLastModifiedTime(older.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(1_000));
        Path newer = Files.createDirectories(dir.resolve("job-b/chk-2"));
        Files.writeString(newer.resolve("_metadata"), "x");
        Files.createDirectories(dir.resolve("job-b/chk-3")); // not completed: no _metadata
        Files.createDirectories(dir.resolve("job-b/shared"));
        assertThat(Checkpoints.latest(dir)).contains(newer);
    }
}
