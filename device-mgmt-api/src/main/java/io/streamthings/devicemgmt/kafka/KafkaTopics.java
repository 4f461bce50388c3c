package io.streamthings.devicemgmt.kafka;

import io.streamthings.common.kafka.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics this service writes, if they are missing; a compacted spec gets cleanup.policy=compact. */
public final class KafkaTopics {

    private KafkaTopics() {}

    /**
     * Creates the topics, ignoring those that exist.
     *
     * @return true when every topic exists afterwards, false when Kafka did not answer in time
     */
    public static boolean ensure(Admin admin, List<TopicSpec> specs, Duration timeout) throws InterruptedException {
        List<NewTopic> topics = specs.stream().map(KafkaTopics::newTopic).toList();
        CreateTopicsResult result = admin.createTopics(topics);
        for (var entry : result.values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    return false;
                }
            } catch (TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    static NewTopic newTopic(TopicSpec spec) {
        // The broker's default replication factor: 1 on a laptop, whatever the cluster sets elsewhere.
        NewTopic topic = new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty());
        topic.configs(spec.configs());
        return topic;
    }
}
