package io.streamthings.ingest;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The ingest service in distributed mode: {@code java -jar ingest.jar server config.yml}, against an existing Kafka
 * cluster. Devices connect to its own MQTT server ({@code mqtt.mode: server}, port 1883); or, with
 * {@code mqtt.mode: subscriber}, it subscribes to an existing broker (e.g. Mosquitto with a shared subscription group),
 * and scales out by running more instances with the same {@code mqtt.sharedGroup} and distinct {@code mqtt.clientId}s.
 */
public class IngestApplication extends Application<IngestConfiguration> {

    private final IngestBundle<IngestConfiguration> bundle = new IngestBundle<>(IngestConfiguration::getIngest);

    public static void main(String[] args) throws Exception {
        new IngestApplication().run(args);
    }

    @Override
    public String getName() {
        return "ingest";
    }

    @Override
    public void initialize(Bootstrap<IngestConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(bundle);
    }

    @Override
    public void run(IngestConfiguration configuration, Environment environment) {
        // Everything is in the bundle, so the same ingest runs on its own and inside another application.
    }

    /** The running ingest, for tests. */
    public IngestService service() {
        return bundle.service();
    }
}
