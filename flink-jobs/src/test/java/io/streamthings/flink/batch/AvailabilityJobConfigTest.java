package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AvailabilityJobConfigTest {

    private static final long DAY = Availability.DAY_MS;

    @Test
    void shouldParseTheRangeAsWholeDaysWithWorkingDefaults() {
        AvailabilityJobConfig c = AvailabilityJobConfig.parse("--from", "2026-12-01", "--to=2026-12-02T05:00:00Z");
        assertThat(c.fromMs()).isEqualTo(20_788 * DAY);
        assertThat(c.toMs()).isEqualTo(20_790 * DAY);
        assertThat(c.topic()).isEqualTo("device.events");
        assertThat(c.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(c.lookbackMs()).isEqualTo(7 * DAY);
        assertThat(c.parallelism()).isEqualTo(2);
        assertThat(AvailabilityJobConfig.usage()).contains("--lookbackMs", "--from (required)");
    }

    @Test
    void shouldRefuseAMissingRangeABadValueAnUnknownOptionAndAnEmptyRange() {
        assertThatThrownBy(() -> AvailabilityJobConfig.parse("--to", "2026-12-02"))
                .hasMessageContaining("--from is required");
        assertThatThrownBy(() -> AvailabilityJobConfig.parse("--from", "yesterday", "--to", "2026-12-02"))
                .hasMessageContaining("--from: expected epoch ms");
        assertThatThrownBy(() -> AvailabilityJobConfig.parse("--from", "2026-12-01", "--to", "2026-12-02",
                "--lookbackMs", "a week")).hasMessageContaining("--lookbackMs: expected a whole number");
        assertThatThrownBy(() -> AvailabilityJobConfig.parse("--from", "2026-12-01", "--to", "2026-12-02",
                "--nope", "1")).hasMessageContaining("nope");
        assertThatThrownBy(() -> AvailabilityJobConfig.parse("--from", "2026-12-02", "--to", "2026-12-01"))
                .hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> AvailabilityJobConfig.parse("--from", "2026-12-01", "--to", "2026-12-02",
                "--parallelism", "0")).hasMessageContaining("parallelism must be at least 1");
    }
}
