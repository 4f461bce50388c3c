package io.streamthings.embedded;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real InfluxDB 1.x server: {@code influxd} from the OS package, started as a child process with a configuration
 * generated under the data folder (loopback only, reporting off). The child dies with this JVM, even when the JVM is
 * killed, because it is started under {@code setpriv --pdeathsig}.
 */
public final class InfluxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Where the influxd pid is kept, in its data folder, for the next start to find a leftover. */
    static final String PID_FILE = "influxd.pid";
    private static final String CONFIG_FILE = "influxdb.conf";

    private final Process process;
    private final String url;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private InfluxServer(Process process, String url, Path dataDir) {
        this.process = process;
        this.url = url;
        this.dataDir = dataDir;
    }

    /**
     * Starts influxd and waits until it answers {@code /ping}.
     *
     * @param dataDir the folder for its config, meta, data, WAL and log; created when missing
     * @param port the HTTP port on 127.0.0.1, or 0 for a free one
     * @throws InfluxNotInstalledException when no influxd binary is found
     * @throws PortInUseException when the port is taken
     */
    public static InfluxServer start(Path dataDir, int port) throws IOException {
        Path binary = findBinary().orElseThrow(InfluxNotInstalledException::new);
        stopLeftover(dataDir);
        int httpPort = port == 0 ? Ports.free() : Ports.requireFree(port, "InfluxDB");
        int rpcPort = Ports.free();
        Path root = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Path config = root.resolve(CONFIG_FILE);
        Files.writeString(config, config(root, httpPort, rpcPort), StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setpriv").canExecute()) {
            // The kernel sends SIGTERM to influxd when the thread that started it dies: no orphan after kill -9.
            command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "TERM", "--"));
        }
        command.addAll(List.of(binary.toString(), "-config", config.toString()));
        Process process = startOnLongLivedThread(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("influxd.log").toFile())));
        // Written before the wait, so that even a launcher killed during the start leaves a way to find it.
        Files.writeString(root.resolve(PID_FILE), process.pid() + "\n", StandardCharsets.UTF_8);
        InfluxServer server = new InfluxServer(process, "http://127.0.0.1:" + httpPort, root);
        try {
            server.awaitPing();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("InfluxDB up on {} with its data in {}", server.url, root);
        return server;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8086}. */
    public String url() {
        return url;
    }

    /** The folder holding config, data and log. */
    public Path dataDir() {
        return dataDir;
    }

    /** True while the influxd process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating system's id of the influxd process. */
    public long pid() {
        return process.pid();
    }

    /**
     * Creates a database unless it exists (InfluxQL {@code CREATE DATABASE} is idempotent).
     *
     * @param name a plain identifier ([A-Za-z0-9_]+)
     */
    public void createDatabase(String name) {
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("database name must match [A-Za-z0-9_]+, got " + name);
        }
        String response = query("CREATE DATABASE \"" + name + "\"");
        if (response.contains("\"error\"")) {
            throw new IllegalStateException("InfluxDB refused to create database " + name + ": " + response);
        }
    }

    /** Runs an InfluxQL statement through {@code POST /query} and returns the JSON answer. */
    public String query(String influxQl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/query"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("InfluxDB query failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an InfluxDB query", e);
        }
    }

    /**
     * Stops an influxd left running on this data folder by a launcher that was killed: {@code setpriv --pdeathsig}
     * sends it SIGTERM when the launcher dies, but it may still be flushing (or run on where setpriv is missing), and
     * it would hold the port. It is found by the pid file each start writes, and stopped (SIGTERM, SIGKILL after 15 s)
     * only when {@code /proc/<pid>/cmdline} shows an influxd run with this folder's configuration file.
     *
     * @param dataDir the folder given to {@link #start}
     * @return true when a server was found and stopped
     */
    public static boolean stopLeftover(Path dataDir) {
        Path root = dataDir.toAbsolutePath().normalize();
        return LeftoverProcess.find(root.resolve(PID_FILE), List.of("influxd", "-config",
                        root.resolve(CONFIG_FILE).toString()))
                .map(p -> LeftoverProcess.stop(p, "TERM", 15, "an influxd on " + root))
                .orElse(false);
    }

    /** Stops influxd (SIGTERM, then SIGKILL after 15 s) and waits for it to exit. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            deletePidFile();
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deletePidFile();
        LOG.info("InfluxDB stopped");
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(dataDir.resolve(PID_FILE));
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dataDir.resolve(PID_FILE), e.toString());
        }
    }

    /** Where influxd is: on the PATH, or in the Debian package's place. */
    public static Optional<Path> findBinary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "influxd");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String config(Path root, int httpPort, int rpcPort) {
        return """
                reporting-disabled = true
                bind-address = "127.0.0.1:%2$d"

                [meta]
                  dir = "%1$s/meta"
                  logging-enabled = false

                [data]
                  dir = "%1$s/data"
                  wal-dir = "%1$s/wal"
                  query-log-enabled = false
                  cache-max-memory-size = "256m"
                  index-version = "tsi1"

                [coordinator]
                  log-queries-after = "0s"

                [retention]
                  enabled = true
                  check-interval = "30m"

                [monitor]
                  store-enabled = false

                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%3$d"
                  auth-enabled = false
                  log-enabled = false
                  max-body-size = 52428800

                [continuous_queries]
                  enabled = true
                  log-enabled = false
                """.formatted(root, rpcPort, httpPort);
    }

    private static Process startOnLongLivedThread(ProcessBuilder builder) throws IOException {
        // pdeathsig is tied to the thread that forks the child, so fork from a thread that lives as long as influxd.
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread supervisor = new Thread(() -> {
            try {
                Process process = builder.start();
                started.complete(process);
                process.waitFor();
            } catch (IOException e) {
                started.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "influxd-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        try {
            return started.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not start influxd: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("influxd did not start within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting influxd", e);
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url + "/ping")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited with code " + process.exitValue()
                        + " during start; see " + dataDir.resolve("influxd.log"));
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for influxd", e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for influxd", e);
            }
        }
        throw new IllegalStateException("influxd did not answer /ping within " + START_TIMEOUT.toSeconds()
                + " s; see " + dataDir.resolve("influxd.log"));
    }
}
