package io.streamthings.standalone;

import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.EmbeddedPostgresServer;
import io.streamthings.embedded.InfluxNotInstalledException;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.PortInUseException;
import io.streamthings.embedded.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole platform in one JVM: PostgreSQL, Kafka and influxd start side by side, then the services that need them
 * (the device service, with ingest and its MQTT server on the MQTT port). {@link #close()} stops everything in the
 * reverse order, leaving no process behind.
 */
public final class Platform implements AutoCloseable {

    /** The database both PostgreSQL and InfluxDB use. */
    public static final String DATABASE = "streamthings";
    static final String POSTGRES_DIR = "postgres";
    static final String INFLUX_DIR = "influxdb";

    private final StandaloneConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
    private InfluxServer influx;
    private EmbeddedDeviceMgmt deviceMgmt;

    private Platform(StandaloneConfig config) {
        this.config = config;
    }

    /**
     * Checks what can be checked before anything starts (influxd installed, every port free), then starts the
     * platform. On any failure, what had started is stopped again before the exception leaves.
     *
     * @throws StartupException with a message fit for the user, never a stack trace
     */
    public static Platform start(StandaloneConfig config) {
        preflight(config);
        Platform platform = new Platform(config);
        try {
            platform.startAll();
            return platform;
        } catch (RuntimeException | IOException e) {
            platform.close();
            throw StartupException.from(e);
        }
    }

    /** The addresses a user wants to see, by name, in print order. */
    public Map<String, String> urls() {
        String host = "0.0.0.0".equals(config.bindHost()) ? "localhost" : config.bindHost();
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("REST API", "http://" + host + ":" + config.httpPort() + "/api/v1");
        urls.put("Swagger UI", "http://" + host + ":" + config.httpPort() + "/api/v1/swagger");
        urls.put("Health checks", "http://127.0.0.1:" + config.adminPort() + "/healthcheck");
        urls.put("MQTT broker", "tcp://" + host + ":" + config.mqttPort());
        if (!config.mqttTls().isEmpty()) {
            urls.put("MQTT over TLS", "ssl://" + host + ":" + config.mqttTlsPort()
                    + (StandaloneConfig.SELF_SIGNED.equals(config.mqttTls())
                            ? " (self-signed: " + config.dataDir().resolve("mqtt-tls") + ")" : ""));
        }
        urls.put("Kafka bootstrap", kafka.bootstrapServers());
        urls.put("PostgreSQL", postgres.jdbcUrl(DATABASE));
        urls.put("InfluxDB", influx.url() + " (database " + DATABASE + ")");
        urls.put("Data folder", config.dataDir().toString());
        return urls;
    }

    /** The running Kafka broker. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The running influxd. */
    public InfluxServer influx() {
        return influx;
    }

    /** The running PostgreSQL. */
    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    /** Stops every part, the last started first; errors are reported and the rest still stop. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("while stopping " + part.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private void startAll() throws IOException {
        Path data = config.dataDir();
        Files.createDirectories(data);
        // The three servers do not depend on each other: start them together to shorten the cold start.
        CompletableFuture<EmbeddedPostgresServer> pg = async(() -> EmbeddedPostgresServer.start(
                data.resolve(POSTGRES_DIR), config.postgresPort()));
        CompletableFuture<EmbeddedKafka> kf = async(() -> EmbeddedKafka.start(data.resolve("kafka"),
                config.kafkaPort()));
        CompletableFuture<InfluxServer> ix = async(() -> InfluxServer.start(data.resolve(INFLUX_DIR),
                config.influxPort()));
        RuntimeException failure = null;
        postgres = collect(pg);
        kafka = collect(kf);
        influx = collect(ix);
        for (var future : List.of(pg, kf, ix)) {
            if (future.isCompletedExceptionally()) {
                try {
                    future.join();
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
                break;
            }
        }
        if (failure != null) {
            throw failure;
        }

        postgres.createDatabase(DATABASE);
        kafka.createTopics(Topics.ALL);
        influx.createDatabase(DATABASE);

        // The rules service needs only Kafka, and joining its consumer group takes a while (for dynamic members after
        // a kill -9, until the group has expired the dead ones). The device service and the job start meanwhile.
        CompletableFuture<AutoCloseable> rules = CompletableFuture.supplyAsync(
                () -> StandaloneRules.start(kafka.bootstrapServers()));
        try {
            Path configFile = DeviceMgmtConfigWriter.write(config, postgres.jdbcUrl(DATABASE),
                    kafka.bootstrapServers(), config.mqttPort(), influx.url(), DATABASE);
            deviceMgmt = new EmbeddedDeviceMgmt(StandaloneIngest.bundle(config, kafka.bootstrapServers(), data));
            deviceMgmt.start(configFile);
            started.push(deviceMgmt);

            // After Kafka and influxd (and the admin port's metric registry, which gets the job's gauges).
            RealtimeJobRunner job = RealtimeJobRunner.start(data, kafka.bootstrapServers(), influx.url(), DATABASE);
            // Pushed in the order they stop: the job first, then the rules, then the device service.
            started.push(join(rules, job));
            started.push(job);
            started.push(RollupRunner.start(data, kafka.bootstrapServers(), influx.url(), DATABASE));
            started.push(PredictiveJobRunner.start(data, kafka.bootstrapServers(), influx.url(), DATABASE));
        } catch (RuntimeException | IOException e) {
            rules.handle((r, error) -> r).thenAccept(r -> {
                if (r != null) {
                    closeQuietly(r);
                }
            }).join();
            throw e;
        }
    }

    /** The rules service once it runs; when it failed, {@code alsoStop} is stopped before the failure leaves. */
    private static AutoCloseable join(CompletableFuture<AutoCloseable> rules, AutoCloseable alsoStop) {
        try {
            return rules.join();
        } catch (CompletionException e) {
            closeQuietly(alsoStop);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            System.err.println("while stopping " + part.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private <T extends AutoCloseable> T collect(CompletableFuture<T> future) {
        try {
            T part = future.join();
            started.push(part);
            return part;
        } catch (CompletionException e) {
            return null;
        }
    }

    private static <T> CompletableFuture<T> async(IoSupplier<T> supplier) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return supplier.get();
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static void preflight(StandaloneConfig config) {
        if (InfluxServer.findBinary().isEmpty()) {
            throw StartupException.from(new InfluxNotInstalledException());
        }
        // Before the ports are checked: a launcher killed with kill -9 leaves its servers holding them.
        stopLeftovers(config.dataDir());
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("REST API", config.httpPort());
        ports.put("admin", config.adminPort());
        ports.put("Kafka", config.kafkaPort());
        ports.put("MQTT broker", config.mqttPort());
        if (!config.mqttTls().isEmpty()) {
            ports.put("MQTT over TLS", config.mqttTlsPort());
        }
        ports.put("PostgreSQL", config.postgresPort());
        ports.put("InfluxDB", config.influxPort());
        for (var entry : ports.entrySet()) {
            if (!Ports.isFree(entry.getValue())) {
                throw StartupException.from(new PortInUseException(entry.getKey(), entry.getValue()));
            }
        }
    }

    /**
     * Stops the servers a killed launcher left running on this data folder (PostgreSQL, influxd), each recognised by
     * its pid file and command line; anything else holding a port is left alone and reported by the port check.
     * Kafka, the MQTT broker and the services run inside the launcher's JVM and died with it.
     */
    static void stopLeftovers(Path dataDir) {
        CompletableFuture<Boolean> pg = CompletableFuture.supplyAsync(() ->
                EmbeddedPostgresServer.stopLeftover(dataDir.resolve(POSTGRES_DIR)));
        CompletableFuture<Boolean> ix = CompletableFuture.supplyAsync(() ->
                InfluxServer.stopLeftover(dataDir.resolve(INFLUX_DIR)));
        pg.join();
        ix.join();
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
