package io.streamthings.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.kafka.CompactedTopicFollower;
import io.streamthings.kafka.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kafka-runtime's helpers against a real broker: creating topics, following a compacted topic, reading it once. */
class KafkaRuntimeIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws java.io.IOException {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldCreateTopicsOnceAndLeaveExistingOnesAsTheyAre() throws Exception {
        TopicSpec table = new TopicSpec("rt.table", 2, true);
        try (Admin admin = kafka.admin()) {
            assertThat(TopicAdmin.ensure(admin, List.of(table), Duration.ofSeconds(30))).isTrue();
            assertThat(TopicAdmin.create(admin, List.of(new TopicSpec("rt.table", 5, false)), Duration.ofSeconds(30)))
                    .isEmpty();

            assertThat(admin.describeTopics(List.of("rt.table")).allTopicNames().get().get("rt.table").partitions())
                    .hasSize(2);
        }
    }

    @Test
    void shouldReportATopicTheBrokerRefusesWithItsReason() throws Exception {
        TopicSpec bad = new TopicSpec("rt bad name!", 1, false);
        try (Admin admin = kafka.admin()) {
            Map<String, Throwable> failed = TopicAdmin.create(admin, List.of(bad), Duration.ofSeconds(30));

            assertThat(failed).containsOnlyKeys("rt bad name!");
            assertThat(TopicAdmin.ensure(admin, List.of(bad), Duration.ofSeconds(30))).isFalse();
            assertThatThrownBy(() -> TopicAdmin.createOrFail(admin, List.of(bad), Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalStateException.class).hasMessage("could not create topic rt bad name!");
        }
    }

    @Test
    void shouldSignalCaughtUpOnlyAfterEverythingOnTheTopicAtStartThenKeepFollowing() throws Exception {
        kafka.createTopics(List.of(new TopicSpec("rt.follow", 3, true)));
        try (var producer = producer()) {
            for (int i = 0; i < 30; i++) {
                producer.send(record("rt.follow", "k" + i, "v" + i)).get();
            }
            producer.send(record("rt.follow", "k0", null)).get();
        }
        Map<String, String> table = new ConcurrentHashMap<>();
        AtomicInteger atCaughtUp = new AtomicInteger(-1);
        try (CompactedTopicFollower follower = CompactedTopicFollower.builder(kafka.bootstrapServers(), "rt.follow",
                (key, value) -> {
                    if (value == null) {
                        table.remove(key);
                    } else {
                        table.put(key, new String(value, StandardCharsets.UTF_8));
                    }
                }).name("rt-follow").onCaughtUp(() -> atCaughtUp.set(table.size())).build()) {
            follower.start();

            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(atCaughtUp.get()).isEqualTo(29);
            assertThat(table).doesNotContainKey("k0").containsEntry("k29", "v29");

            try (var producer = producer()) {
                producer.send(record("rt.follow", "k100", "later")).get();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> "later".equals(table.get("k100")));
        }
    }

    @Test
    void shouldWaitForATopicThatDoesNotExistYet() throws Exception {
        Map<String, String> table = new ConcurrentHashMap<>();
        try (CompactedTopicFollower follower = CompactedTopicFollower.builder(kafka.bootstrapServers(), "rt.late",
                (key, value) -> table.put(key, new String(value, StandardCharsets.UTF_8))).build()) {
            follower.start();
            assertThat(follower.isCaughtUp()).isFalse();

            kafka.createTopics(List.of(new TopicSpec("rt.late", 1, true)));
            try (var producer = producer()) {
                producer.send(record("rt.late", "a", "1")).get();
            }

            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(table.get("a")));
        }
    }

    @Test
    void shouldReadTheTopicAgainAfterAFailureWhenToldToRetry() throws Exception {
        kafka.createTopics(List.of(new TopicSpec("rt.retry", 1, true)));
        try (var producer = producer()) {
            for (int i = 0; i < 5; i++) {
                producer.send(record("rt.retry", "k" + i, "v" + i)).get();
            }
        }
        Map<String, String> table = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        try (CompactedTopicFollower follower = CompactedTopicFollower.builder(kafka.bootstrapServers(), "rt.retry",
                (key, value) -> {
                    if ("k3".equals(key) && failures.getAndIncrement() == 0) {
                        throw new IllegalStateException("a store that failed once");
                    }
                    table.put(key, new String(value, StandardCharsets.UTF_8));
                }).retryAfter(Duration.ofMillis(100)).build()) {
            follower.start();

            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(failures.get()).isEqualTo(2);
            assertThat(table).hasSize(5).containsEntry("k3", "v3");
        }
    }

    @Test
    void shouldReadATopicOnceToItsEnd() throws Exception {
        kafka.createTopics(List.of(new TopicSpec("rt.once", 2, true)));
        try (var producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(record("rt.once", "k" + i, "v" + i)).get();
            }
        }
        Map<String, String> table = new ConcurrentHashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            CompactedTopicFollower.readToEnd(consumer, "rt.once", Duration.ofSeconds(60),
                    (key, value) -> table.put(key, new String(value, StandardCharsets.UTF_8)));
        }

        assertThat(table).hasSize(10).containsEntry("k9", "v9");
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
