package io.streamthings.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What needs no broker; following a real topic is embedded-servers' KafkaRuntimeIT. */
class CompactedTopicFollowerTest {

    @Test
    void shouldNotCountAsCaughtUpBeforeItHasReadAnything() throws InterruptedException {
        CompactedTopicFollower follower = CompactedTopicFollower.builder("127.0.0.1:1", "t", (k, v) -> {}).build();

        assertThat(follower.isCaughtUp()).isFalse();
        assertThat(follower.awaitCaughtUp(Duration.ZERO)).isFalse();
        follower.close();
    }

    @Test
    void shouldNotStartOnceClosed() {
        CompactedTopicFollower follower = CompactedTopicFollower.builder("127.0.0.1:1", "t", (k, v) -> {}).build();
        follower.close();

        follower.start();

        assertThat(follower.isCaughtUp()).isFalse();
        follower.close();
    }

    @Test
    void shouldRefuseMissingArguments() {
        assertThatThrownBy(() -> CompactedTopicFollower.builder(null, "t", (k, v) -> {}))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CompactedTopicFollower.builder("k:9092", "t", null))
                .isInstanceOf(NullPointerException.class);
    }
}
