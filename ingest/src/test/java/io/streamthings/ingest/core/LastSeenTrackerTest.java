package io.streamthings.ingest.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastSeenTrackerTest {

    private final List<String> published = new ArrayList<>();
    private final LastSeenTracker tracker = new LastSeenTracker(
            (key, value) -> published.add(key + " " + new String(value, StandardCharsets.UTF_8)), 60_000);

    @Test
    void shouldPublishOneSeenEventPerDeviceWithTheLatestTime() {
        tracker.seen("acme", "d1", 100);
        tracker.seen("acme", "d1", 300);
        tracker.seen("acme", "d1", 200);
        tracker.seen("acme", "d2", 50);

        assertThat(tracker.flush()).isEqualTo(2);

        assertThat(published).containsExactlyInAnyOrder(
                "acme/d1 {\"type\":\"seen\",\"tenant\":\"acme\",\"deviceId\":\"d1\",\"ts\":300}",
                "acme/d2 {\"type\":\"seen\",\"tenant\":\"acme\",\"deviceId\":\"d2\",\"ts\":50}");
        assertThat(tracker.flush()).isZero();
    }

    @Test
    void shouldPublishWhatIsPendingOnClose() {
        tracker.start();
        tracker.seen("acme", "d1", 1);
        tracker.close();
        assertThat(published).hasSize(1);
    }
}
