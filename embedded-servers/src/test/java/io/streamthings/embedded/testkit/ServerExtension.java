package io.streamthings.embedded.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server for a test class: started in a folder of its own before the class's first test, stopped and its folder
 * deleted after the last. Register it on a static field, {@code @RegisterExtension static final ... = new ...()}, so
 * that the class's {@code @BeforeAll} methods already find it running.
 *
 * @param <S> the server
 */
abstract class ServerExtension<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private Path dir;
    private S server;

    ServerExtension(String name) {
        this.name = name;
    }

    /** Starts the server, its data under {@code dir}. */
    abstract S start(Path dir) throws Exception;

    /** The running server. */
    public final S server() {
        if (server == null) {
            throw new IllegalStateException(name + " is not running: register the extension on a static field");
        }
        return server;
    }

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("streamthings-it-" + name);
        server = start(dir);
    }

    @Override
    public final void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is no reason to fail the tests that ran.
        }
    }
}
