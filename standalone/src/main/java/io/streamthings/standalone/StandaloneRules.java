package io.streamthings.standalone;

import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.service.RulesService;
import io.streamthings.rules.service.RulesServiceConfig;
import java.time.Clock;
import java.time.Duration;

/** The rules service in the standalone platform: one instance, owning every partition of telemetry.raw. */
final class StandaloneRules {

    private StandaloneRules() {}

    /** Starts the service and waits until it runs the deployed rules; returns what stops it. */
    static AutoCloseable start(String kafkaBootstrap) {
        RulesServiceConfig config = new RulesServiceConfig();
        config.bootstrapServers = kafkaBootstrap;
        RulesService service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
        service.start();
        try {
            if (!service.awaitRunning(Duration.ofSeconds(60))) {
                service.close();
                throw new IllegalStateException("the rules service did not join its consumer group within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.close();
            throw new IllegalStateException("interrupted while starting the rules service", e);
        }
        return service;
    }
}
