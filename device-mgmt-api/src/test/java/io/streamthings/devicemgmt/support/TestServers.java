package io.streamthings.devicemgmt.support;

import io.streamthings.embedded.EmbeddedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL and one embedded Kafka broker for the whole test JVM: starting them costs seconds, and each
 * test class gets its own database, so classes stay independent without paying for new servers.
 */
public final class TestServers {

    private static TestServers instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafka kafka;

    private TestServers(EmbeddedPostgres postgres, EmbeddedKafka kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    public static synchronized TestServers get() {
        if (instance == null) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                Path logDir = Files.createTempDirectory("device-mgmt-kafka");
                EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0);
                instance = new TestServers(pg, kafka);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "test-servers-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** A fresh, empty database; returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    private void close() {
        try {
            kafka.close();
        } finally {
            try {
                postgres.close();
            } catch (IOException e) {
                // the JVM is exiting; nothing left to tell
            }
        }
    }
}
