package io.streamthings.embedded.testkit;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * An embedded Kafka broker (KRaft) on a free port for a test class, with the given topics created:
 * {@code @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension(Topics.ALL);}.
 */
public final class KafkaExtension extends ServerExtension<EmbeddedKafka> {

    private final List<TopicSpec> topics;

    /** A broker with no topic created beforehand (producers create them with the broker's defaults). */
    public KafkaExtension() {
        this(List.of());
    }

    /** A broker with these topics created before the first test. */
    public KafkaExtension(Collection<TopicSpec> topics) {
        super("kafka");
        this.topics = List.copyOf(topics);
    }

    @Override
    EmbeddedKafka start(Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
        if (!topics.isEmpty()) {
            kafka.createTopics(topics);
        }
        return kafka;
    }

    public String bootstrapServers() {
        return server().bootstrapServers();
    }

    /** Reads topics of this broker to their end. */
    public TopicReader reader() {
        return new TopicReader(bootstrapServers());
    }

    /** Publishes device credentials to this broker as the registry does. */
    public Credentials credentials() {
        return new Credentials(bootstrapServers());
    }
}
