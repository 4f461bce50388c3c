package io.streamthings.standalone;

import io.streamthings.embedded.EmbeddedPostgresServer;
import io.streamthings.embedded.InfluxServer;
import java.nio.file.Path;

/**
 * Starts PostgreSQL and influxd on a data folder laid out as the launcher lays it out, then waits to be killed: a
 * launcher that dies without running its shutdown hooks.
 */
public final class AbandonedServers {

    private AbandonedServers() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(data.resolve(Platform.POSTGRES_DIR),
                Integer.parseInt(args[1]));
        InfluxServer influx = InfluxServer.start(data.resolve(Platform.INFLUX_DIR), Integer.parseInt(args[2]));
        System.out.println("READY " + postgres.port() + " " + influx.pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
