package io.streamthings.flink.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the retained checkpoint a job can be restored from, in a local checkpoint directory. */
public final class Checkpoints {

    private Checkpoints() {
    }

    /**
     * The most recent complete checkpoint under {@code dir} (laid out by Flink as {@code <jobId>/chk-<n>/_metadata}):
     * the {@code chk-<n>} directory whose {@code _metadata} was written last. A checkpoint without {@code _metadata}
     * was not completed and is ignored.
     *
     * @return empty when the directory does not exist or holds no complete checkpoint
     */
    public static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(Checkpoints::checkpointsOf)
                    .map(chk -> chk.resolve("_metadata"))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(Checkpoints::modified))
                    .map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list checkpoints in " + dir, e);
        }
    }

    /**
     * Deletes every checkpoint under {@code dir} but {@code keep}: the other jobs' directories (each start is a new
     * job with a directory of its own) and the other {@code chk-<n>} directories of {@code keep}'s job, complete or
     * not. Without it, every restart, and every kill -9 in the middle of a checkpoint, would leave one more behind.
     * Call it before the job that restores from {@code keep} starts, never while a job writes to {@code dir}.
     *
     * @param keep a checkpoint directory under {@code dir} (as {@link #latest} returns it), or empty to delete all
     * @return how many directories were deleted
     */
    public static int prune(Path dir, Optional<Path> keep) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Path kept = keep.map(p -> p.toAbsolutePath().normalize()).orElse(null);
        Path keptJob = kept == null ? null : kept.getParent();
        int deleted = 0;
        try (Stream<Path> jobs = Files.list(dir)) {
            for (Path job : jobs.filter(Files::isDirectory).map(p -> p.toAbsolutePath().normalize()).toList()) {
                if (!job.equals(keptJob)) {
                    deleteTree(job);
                    deleted++;
                    continue;
                }
                for (Path chk : checkpointsOf(job).map(p -> p.toAbsolutePath().normalize()).toList()) {
                    if (!chk.equals(kept)) {
                        deleteTree(chk);
                        deleted++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prune checkpoints in " + dir, e);
        }
        return deleted;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Stream<Path> checkpointsOf(Path jobDir) {
        try (Stream<Path> children = Files.list(jobDir)) {
            return children.filter(p -> p.getFileName().toString().startsWith("chk-")).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
