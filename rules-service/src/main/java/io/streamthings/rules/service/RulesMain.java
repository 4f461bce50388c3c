package io.streamthings.rules.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.streamthings.rules.compile.RuleCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the rules service on its own, for a distributed deployment:
 * {@code java -jar rules-service/target/rules-service-<version>-app.jar [config.yml]}. Start as many as there are
 * cores to spare; they split telemetry.raw as one consumer group.
 */
public final class RulesMain {

    static final String USAGE = """
            usage: java -jar rules-service-<version>-app.jar [config.yml]
              Runs the rules service: the deployed rules on telemetry.raw, alerts to the alerts topic.
              config.yml: keys bootstrapServers, groupId, instanceId, groupInstanceId, snapshotInterval,
              statusInterval, startFrom, maxPollRecords, alertLingerMs, forwardLingerMs (see rules-service/config.yml);
              without it every key has its default (Kafka on localhost:9092).""";

    private RulesMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
            (help ? System.out : System.err).println(USAGE);
            System.exit(help ? 0 : 2);
        }
        RulesServiceConfig config;
        try {
            config = args.length > 0 ? load(Path.of(args[0])) : RulesServiceConfig.defaults();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("rules service: " + e.getMessage());
            System.exit(2);
            return;
        }
        RulesService service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "rules-shutdown"));
        service.start();
        stopped.await();
    }

    /**
     * Reads the YAML config; keys are the components of {@link RulesServiceConfig}, durations as ISO-8601 (PT5S).
     *
     * @throws IllegalArgumentException naming the key, when a value is refused
     * @throws IOException when the file cannot be read or is not such YAML (an unknown key too)
     */
    static RulesServiceConfig load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return yaml.readValue(Files.readAllBytes(file), RulesServiceConfig.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw new IllegalArgumentException(file + ": " + refused.getMessage(), refused);
            }
            throw e;
        }
    }
}
