package io.streamthings.rules.service;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.kafka.Topics;
import io.streamthings.kafka.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
            TopicAdmin.create(admin, SPECS, Duration.ofSeconds(30))
                    .forEach((topic, why) -> LOG.warn("Could not create topic {}: {}", topic, why.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Could not create the rules topics: {}", e.toString());
        }
    }
}
