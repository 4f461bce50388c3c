package io.streamthings.kafka;

import io.streamthings.common.kafka.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the platform's topics where a deployment has not: each {@link TopicSpec} with its partitions and configs
 * (compaction, record size) and the broker's default replication factor (1 on a laptop, whatever a cluster sets). A
 * topic that exists already is left as it is, whatever its partitions.
 */
public final class TopicAdmin {

    private TopicAdmin() {}

    /**
     * Creates the topics that are missing and waits for the broker to confirm each.
     *
     * @param timeout how long to wait for each topic's answer
     * @return the topics the broker did not create, by name, with the reason (a {@link TimeoutException} when it did
     *     not answer in time); empty when every topic exists afterwards
     * @throws InterruptedException when interrupted while waiting
     */
    public static Map<String, Throwable> create(Admin admin, Collection<? extends TopicSpec> specs, Duration timeout)
            throws InterruptedException {
        List<NewTopic> topics = specs.stream().map(TopicAdmin::newTopic).toList();
        Map<String, Throwable> failed = new LinkedHashMap<>();
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    failed.put(entry.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                failed.put(entry.getKey(), e);
            }
        }
        return failed;
    }

    /**
     * As {@link #create}, for a caller that retries later and needs only to know whether it must.
     *
     * @return true when every topic exists afterwards, false when one was refused or Kafka did not answer in time
     */
    public static boolean ensure(Admin admin, Collection<? extends TopicSpec> specs, Duration timeout)
            throws InterruptedException {
        return create(admin, specs, timeout).isEmpty();
    }

    /**
     * As {@link #create}, for a caller that cannot go on without the topics (a launcher, a test).
     *
     * @throws IllegalStateException naming the first topic not created, with the broker's reason as the cause
     */
    public static void createOrFail(Admin admin, Collection<? extends TopicSpec> specs, Duration timeout) {
        Map<String, Throwable> failed;
        try {
            failed = create(admin, specs, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
        if (!failed.isEmpty()) {
            var first = failed.entrySet().iterator().next();
            throw new IllegalStateException("could not create topic " + first.getKey(), first.getValue());
        }
    }

    /** The topic to create for a spec: its partitions and configs, the broker's default replication factor. */
    public static NewTopic newTopic(TopicSpec spec) {
        NewTopic topic = new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty());
        topic.configs(spec.configs());
        return topic;
    }
}
