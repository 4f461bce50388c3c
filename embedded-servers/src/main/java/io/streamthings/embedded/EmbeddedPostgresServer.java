package io.streamthings.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the binary shipped in io.zonky.test's Maven packages) with its data in a directory of the
 * caller's choice, so the data survives a restart.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** The superuser zonky's initdb creates. */
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on 127.0.0.1; initialises the data directory only when it is new.
     *
     * @param dataDir the cluster's data directory; created when missing, kept on close
     * @param port the port, or 0 for a free one
     * @throws PortInUseException when the port is taken
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        stopLeftover(dataDir);
        int chosen = port == 0 ? Ports.free() : Ports.requireFree(port, "PostgreSQL");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)
                .setPort(chosen)
                .setPGStartupWait(Duration.ofSeconds(60))
                // The owner stops the server in order (after the services using it); a hook of zonky's own would
                // stop it first, under the feet of a service still shutting down.
                .setRegisterShutdownHook(false)
                // Loopback only: the standalone platform is a laptop install, not a database server for the network.
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .start();
        LOG.info("PostgreSQL up on 127.0.0.1:{} with its data in {}", chosen, dataDir);
        return new EmbeddedPostgresServer(postgres, dataDir);
    }

    /**
     * Stops a PostgreSQL left running on this data directory by a launcher that was killed (kill -9 runs no shutdown
     * hook): it would hold the port and the directory. It is found by the {@code postmaster.pid} PostgreSQL keeps in
     * its data directory, and stopped only when that process is a postgres serving this directory, the way pg_ctl
     * does, with SIGINT (fast shutdown: sessions are ended, everything committed is kept).
     *
     * @param dataDir the cluster's data directory
     * @return true when a server was found and stopped
     */
    public static boolean stopLeftover(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        return LeftoverProcess.find(dir.resolve("postmaster.pid"), List.of("postgres", dir.toString()))
                .map(p -> LeftoverProcess.stop(p, "INT", 30, "a PostgreSQL on " + dir))
                .orElse(false);
    }

    /** The JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** The port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates the database unless it exists.
     *
     * @param name a plain identifier ([a-z0-9_]+)
     */
    public void createDatabase(String name) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("database name must match [a-z0-9_]+, got " + name);
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (var rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (var create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + name);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Connection settings as a map (url, user, password) for a database on this server. */
    public Map<String, String> connectionSettings(String database) {
        return Map.of("url", jdbcUrl(database), "user", USER, "password", "postgres");
    }

    /** Stops the server; the data directory stays. */
    @Override
    public void close() throws IOException {
        postgres.close();
        LOG.info("PostgreSQL stopped");
    }
}
