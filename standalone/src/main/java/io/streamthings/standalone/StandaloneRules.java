package io.streamthings.standalone;

import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.service.RulesService;
import io.streamthings.rules.service.RulesServiceConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules service in the standalone platform: as many instances of one consumer group as there are cores, up to
 * two, each with its own poll thread and share of the partitions (the rules benchmark measured 1.7 to 3 times the
 * throughput of one instance with two on this machine's two cores).
 */
final class StandaloneRules {

    private StandaloneRules() {}

    /** Starts the instances and waits until they run the deployed rules; returns what stops them. */
    static AutoCloseable start(String kafkaBootstrap) {
        int instances = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        List<RulesService> services = new ArrayList<>();
        AutoCloseable stop = () -> services.forEach(RulesService::close);
        for (int i = 0; i < instances; i++) {
            RulesServiceConfig config = RulesServiceConfig.builder()
                    .bootstrapServers(kafkaBootstrap)
                    .instanceId(RulesServiceConfig.defaultInstanceId() + "-" + i)
                    // Static members: after a restart, kill -9 included, each takes its partitions back without
                    // waiting for the group to expire the dead process's members.
                    .groupInstanceId("standalone-rules-" + i)
                    .build();
            // A compiler (and Siddhi manager) per instance: the instances share nothing but Kafka.
            RulesService service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
            service.start();
            services.add(service);
        }
        try {
            for (RulesService service : services) {
                if (!service.awaitRunning(Duration.ofSeconds(60))) {
                    stop.close();
                    throw new IllegalStateException("the rules service did not join its consumer group within 60 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            services.forEach(RulesService::close);
            throw new IllegalStateException("interrupted while starting the rules service", e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the rules service", e);
        }
        return stop;
    }
}
