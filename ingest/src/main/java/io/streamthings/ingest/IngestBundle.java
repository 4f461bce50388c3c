package io.streamthings.ingest;

import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Environment;
import io.streamthings.ingest.auth.DeviceAccessPolicy;
import io.streamthings.ingest.config.IngestConfig;
import jakarta.validation.ConstraintViolation;
import java.util.Set;
import java.util.function.Function;

/**
 * Ingest inside any Dropwizard application: the HTTP ingest resources on its Jersey, the MQTT subscribers and the
 * rest in its lifecycle, the metrics in its registry, a health check named {@code ingest}.
 *
 * <pre>bootstrap.addBundle(new IngestBundle&lt;&gt;(MyConfiguration::getIngest));</pre>
 *
 * @param <T> the host application's configuration
 */
public final class IngestBundle<T extends Configuration> implements ConfiguredBundle<T> {

    private final Function<T, IngestConfig> configOf;
    private final DeviceAccessPolicy policy;
    private volatile IngestService service;

    /** A bundle that reads its configuration from the host's. */
    public IngestBundle(Function<T, IngestConfig> configOf) {
        this(configOf, null);
    }

    /**
     * A bundle that shares its access policy, and the device directory behind it, with an MQTT broker embedded in
     * the same JVM; the bundle starts the directory if it is not started and stops it with the application.
     */
    public IngestBundle(Function<T, IngestConfig> configOf, DeviceAccessPolicy policy) {
        this.configOf = configOf;
        this.policy = policy;
    }

    @Override
    public void run(T configuration, Environment environment) {
        IngestConfig config = configOf.apply(configuration);
        // A configuration built in code has not been through Dropwizard's validation: validate it here, at start.
        Set<ConstraintViolation<IngestConfig>> violations = environment.getValidator().validate(config);
        if (!violations.isEmpty()) {
            ConstraintViolation<IngestConfig> v = violations.iterator().next();
            throw new IllegalArgumentException("ingest." + v.getPropertyPath() + " " + v.getMessage());
        }
        IngestService ingest = new IngestService(config, environment.metrics(), policy);
        environment.lifecycle().manage(ingest);
        for (Object component : ingest.jerseyComponents()) {
            environment.jersey().register(component);
        }
        environment.healthChecks().register("ingest", new IngestHealthCheck(ingest));
        this.service = ingest;
    }

    /** The running service, once {@link #run} has been called; null before. */
    public IngestService service() {
        return service;
    }
}
