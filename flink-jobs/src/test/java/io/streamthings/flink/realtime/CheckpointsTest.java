package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void shouldPickTheCheckpointWhoseMetadataWasWrittenLastAndIgnoreIncompleteOnes() throws Exception {
        // Given two jobs' checkpoints, the newest complete one in the second job, and a newer one without _metadata
        complete("job-a/chk-7", 1_000);
        complete("job-b/chk-8", 2_000);
        Files.createDirectories(dir.resolve("job-b/chk-9"));

        // Then the latest is the newest complete one
        assertThat(Checkpoints.latest(dir)).contains(dir.resolve("job-b/chk-8"));
        assertThat(Checkpoints.latest(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void shouldPruneEveryCheckpointButTheOneToRestoreFrom() throws Exception {
        // Given the leftovers of several restarts and kills: old jobs, an unfinished checkpoint, an older complete one
        complete("job-a/chk-3", 1_000);
        Files.createDirectories(dir.resolve("job-a/shared"));
        complete("job-b/chk-5", 2_000);
        complete("job-c/chk-6", 3_000);
        complete("job-c/chk-7", 4_000);
        Files.createDirectories(dir.resolve("job-c/chk-8"));
        Files.createDirectories(dir.resolve("job-c/taskowned"));
        Optional<Path> latest = Checkpoints.latest(dir);
        assertThat(latest).contains(dir.resolve("job-c/chk-7"));

        // When pruned around the latest
        Checkpoints.prune(dir, latest);

        // Then only that checkpoint (and its job's own folders) is left, and it is still the latest
        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("chk-")).toList())
                    .containsExactly(dir.resolve("job-c/chk-7"));
        }
        assertThat(dir.resolve("job-a")).doesNotExist();
        assertThat(dir.resolve("job-b")).doesNotExist();
        assertThat(dir.resolve("job-c/taskowned")).exists();
        assertThat(Checkpoints.latest(dir)).isEqualTo(latest);
    }

    @Test
    void shouldPruneEverythingWhenThereIsNothingToRestore() throws Exception {
        Files.createDirectories(dir.resolve("job-a/chk-1"));
        Files.createDirectories(dir.resolve("job-b/chk-2"));

        Checkpoints.prune(dir, Checkpoints.latest(dir));

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private void complete(String chk, long modifiedMs) throws Exception {
        Path metadata = dir.resolve(chk).resolve("_metadata");
        Files.createDirectories(metadata.getParent());
        Files.write(metadata, new byte[] {1, 2, 3});
        Files.writeString(metadata.getParent().resolve("state-file"), "x");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMs));
    }
}
