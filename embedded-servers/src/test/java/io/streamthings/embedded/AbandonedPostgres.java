package io.streamthings.embedded;

import java.nio.file.Path;

/** Starts PostgreSQL and then waits to be killed, to play a launcher that dies without running its shutdown hooks. */
public final class AbandonedPostgres {

    private AbandonedPostgres() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
