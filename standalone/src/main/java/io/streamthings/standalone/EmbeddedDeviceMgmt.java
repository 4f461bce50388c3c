package io.streamthings.standalone;

import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.streamthings.devicemgmt.DeviceMgmtApplication;
import io.streamthings.devicemgmt.DeviceMgmtConfiguration;
import io.streamthings.ingest.IngestBundle;
import io.streamthings.ingest.http.IngestResource;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;

/**
 * The device management service run inside the standalone JVM, with ingest's HTTP endpoints and MQTT subscriber added
 * as a bundle, so that one Jetty on the API port serves both. Dropwizard ends the JVM on a start-up error; here the
 * error is thrown to the launcher instead, which reports it and stops the other parts cleanly.
 */
final class EmbeddedDeviceMgmt extends DeviceMgmtApplication implements AutoCloseable {

    private final AtomicReference<Server> jetty = new AtomicReference<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final IngestBundle<DeviceMgmtConfiguration> ingest;

    EmbeddedDeviceMgmt(IngestBundle<DeviceMgmtConfiguration> ingest) {
        this.ingest = ingest;
    }

    @Override
    public void initialize(Bootstrap<DeviceMgmtConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addBundle(ingest);
    }

    void start(Path configFile) {
        try {
            run("server", configFile.toString());
        } catch (Exception e) {
            throw new IllegalStateException("the device management service did not start: " + e.getMessage(), e);
        }
        Throwable error = fatal.get();
        if (error != null) {
            throw new IllegalStateException("the device management service did not start: " + error.getMessage(),
                    error);
        }
        if (jetty.get() == null) {
            throw new IllegalStateException("the device management service did not start; see the log above");
        }
    }

    @Override
    public void run(DeviceMgmtConfiguration configuration, Environment environment) throws Exception {
        super.run(configuration, environment);
        environment.lifecycle().addServerLifecycleListener(jetty::set);
    }

    /** Ingest's HTTP endpoints take device tokens and bound their payloads themselves. */
    @Override
    protected Set<Class<?>> selfCheckingResources() {
        return Set.of(IngestResource.class);
    }

    @Override
    protected void onFatalError(Throwable t) {
        fatal.set(t);
    }

    @Override
    public void close() throws Exception {
        Server server = jetty.getAndSet(null);
        if (server != null) {
            // stop() already waits for requests in flight (Jetty's stop timeout); join() here can wait forever on
            // pool threads that a concurrent JVM shutdown has parked.
            server.stop();
        }
    }
}
