package io.streamthings.rules.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.streamthings.rules.compile.RuleCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the rules service on its own, for a distributed deployment: {@code java -cp ... RulesMain [config.yml]}.
 * Start as many as there are cores to spare; they split telemetry.raw as one consumer group.
 */
public final class RulesMain {

    private RulesMain() {}

    public static void main(String[] args) throws Exception {
        RulesServiceConfig config = args.length > 0 ? load(Path.of(args[0])) : new RulesServiceConfig();
        RulesService service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "rules-shutdown"));
        service.start();
        stopped.await();
    }

    /** Reads the YAML config; keys are the fields of {@link RulesServiceConfig}, durations as ISO-8601 (PT5S). */
    static RulesServiceConfig load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return yaml.readValue(Files.readAllBytes(file), RulesServiceConfig.class);
    }
}
