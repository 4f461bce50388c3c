package io.streamthings.embedded.testkit;

import io.streamthings.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL on a free port for a test class:
 * {@code @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();}.
 */
public final class PostgresExtension extends ServerExtension<EmbeddedPostgresServer> {

    public PostgresExtension() {
        super("postgres");
    }

    @Override
    EmbeddedPostgresServer start(Path dir) throws Exception {
        return EmbeddedPostgresServer.start(dir, 0);
    }

    /** Creates a database and answers its JDBC URL (user {@link EmbeddedPostgresServer#USER}). */
    public String database(String name) {
        server().createDatabase(name);
        return server().jdbcUrl(name);
    }
}
