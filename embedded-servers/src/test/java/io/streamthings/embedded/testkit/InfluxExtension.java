package io.streamthings.embedded.testkit;

import io.streamthings.embedded.InfluxServer;
import java.nio.file.Path;

/**
 * Debian's {@code influxd} on a free port for a test class:
 * {@code @RegisterExtension static final InfluxExtension INFLUX = new InfluxExtension();}. Without the binary the
 * class fails with {@link io.streamthings.embedded.InfluxNotInstalledException}, as a hand-started server did.
 */
public final class InfluxExtension extends ServerExtension<InfluxServer> {

    public InfluxExtension() {
        super("influx");
    }

    @Override
    InfluxServer start(Path dir) throws Exception {
        return InfluxServer.start(dir, 0);
    }

    /** The HTTP API's base URL. */
    public String url() {
        return server().url();
    }
}
