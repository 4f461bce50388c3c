package io.streamthings.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process a killed launcher left behind (kill -9 runs no shutdown hook). It is recognised by its pid file in
 * the data folder and by its command line naming that folder, so that a recycled pid never gets another program
 * killed.
 */
final class LeftoverProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverProcess.class);

    private LeftoverProcess() {}

    /**
     * The live process whose pid is on the first line of {@code pidFile} and whose command line contains every one of
     * {@code mustContain}.
     *
     * @return empty when there is no pid file, it is unreadable, or the process is gone or is another program
     */
    static Optional<ProcessHandle> find(Path pidFile, List<String> mustContain) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Optional.empty();
        }
        List<String> args = commandLine(pid);
        String joined = String.join(" ", args);
        for (String part : mustContain) {
            if (!joined.contains(part)) {
                return Optional.empty();
            }
        }
        return process;
    }

    /**
     * Sends {@code signal} (a name such as {@code TERM} or {@code INT}) and waits for the process to exit; kills it
     * after {@code graceSeconds}.
     *
     * @return true when the process is gone
     */
    static boolean stop(ProcessHandle process, String signal, long graceSeconds, String what) {
        LOG.warn("Stopping {} (pid {}) left running by an earlier run that did not stop it", what, process.pid());
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
            try {
                process.onExit().get(graceSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("{} (pid {}) did not stop within {} s; killing it", what, process.pid(), graceSeconds);
                process.destroyForcibly();
                process.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.warn("Could not stop {} (pid {}): {}", what, process.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !process.isAlive();
    }

    /** The process's arguments from {@code /proc/<pid>/cmdline} (NUL-separated); empty when unreadable. */
    static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
            return Arrays.stream(new String(raw, StandardCharsets.UTF_8).split("\0")).filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
