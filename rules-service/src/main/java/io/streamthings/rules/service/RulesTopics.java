package io.streamthings.rules.service;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.kafka.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The topics the rules service reads and writes. */
final class RulesTopics {

    private static final Logger LOG = LoggerFactory.getLogger(RulesTopics.class);
    private static final List<TopicSpec> SPECS = List.of(Topics.TELEMETRY_RAW, Topics.ALERTS, Topics.RULES,
            Topics.RULE_STATUS, Topics.RULES_STATE, Topics.RULES_BY_TENANT);

    private RulesTopics() {}

    /** Creates the topics where a deployment has not (a no-op once they exist); a failure is logged, not thrown. */
    static void ensure(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = SPECS.stream().map(t -> new NewTopic(t.name(), Optional.of(t.partitions()),
                    Optional.empty()).configs(t.configs())).toList();
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warn("Could not create a topic: {}", e.getCause().toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not confirm the rules topics in time; retrying");
        }
    }
}
