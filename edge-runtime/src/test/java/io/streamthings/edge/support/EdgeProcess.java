package io.streamthings.edge.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An edge runtime in a process of its own, as on a device: the packaged jar when the build made it (Failsafe runs
 * after {@code package}), else this test's class path. Its output goes to a log file in its data folder.
 */
public final class EdgeProcess implements AutoCloseable {

    private final List<String> command;
    private final Path log;
    private Process process;

    public EdgeProcess(Path dataDir, String... args) {
        Path jar = Path.of("target", "edge-runtime.jar");
        command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        if (Files.exists(jar)) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.streamthings.edge.EdgeMain"));
        }
        command.addAll(List.of("--data-dir", dataDir.toString()));
        command.addAll(List.of(args));
        log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public EdgeProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** {@code kill -9}: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
