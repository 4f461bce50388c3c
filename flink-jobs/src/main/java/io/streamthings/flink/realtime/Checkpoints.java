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
