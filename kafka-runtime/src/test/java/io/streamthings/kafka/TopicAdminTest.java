package io.streamthings.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.kafka.Topics;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The topic each spec becomes; creating them on a broker is embedded-servers' KafkaRuntimeIT. */
class TopicAdminTest {

    @Test
    void shouldCreateACompactedTopicWithItsPartitionsAndTheBrokersReplicationFactor() {
        NewTopic topic = TopicAdmin.newTopic(Topics.DEVICE_CREDENTIALS);

        assertThat(topic.name()).isEqualTo("device.credentials");
        assertThat(topic.numPartitions()).isEqualTo(3);
        assertThat(topic.replicationFactor()).isEqualTo((short) -1);
        assertThat(topic.configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
    }

    @Test
    void shouldCarryARaisedRecordSize() {
        NewTopic topic = TopicAdmin.newTopic(Topics.RULES_STATE);

        assertThat(topic.configs()).containsEntry("max.message.bytes", Integer.toString(64 * 1024 * 1024));
    }

    @Test
    void shouldSetNoConfigForAPlainTopic() {
        NewTopic topic = TopicAdmin.newTopic(new TopicSpec("t", 2, false));

        assertThat(topic.configs()).isEmpty();
        assertThat(Optional.of(topic.numPartitions())).contains(2);
    }
}
