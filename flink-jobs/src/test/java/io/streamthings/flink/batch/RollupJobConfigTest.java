package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.influx.WindowSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupJobConfigTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    @Test
    void shouldWidenTheRangeToWholeDaysWhenDaysAreRolledUp() {
        RollupJobConfig c = RollupJobConfig.parse("--from", "2026-12-01T05:30:00Z", "--to", "2026-12-02T00:00:01Z");
        assertThat(c.series()).containsExactly(WindowSeries.HOUR, WindowSeries.DAY);
        assertThat(c.fromMs()).isEqualTo(RollupJobConfig.time(RollupJobConfig.Option.FROM, "2026-12-01"));
        assertThat(c.toMs()).isEqualTo(c.fromMs() + 2 * DAY);
        assertThat(c.windowStarts(WindowSeries.HOUR)).hasSize(48);
        assertThat(c.windowStarts(WindowSeries.DAY)).hasSize(2);
    }

    @Test
    void shouldWidenToWholeHoursOnlyForHourlyRollups() {
        RollupJobConfig c = RollupJobConfig.parse("--from", String.valueOf(HOUR + 1), "--to", String.valueOf(
                2 * HOUR + 1), "--series", "hour", "--parallelism", "1", "--influx.url", "http://127.0.0.1:26086");
        assertThat(c.fromMs()).isEqualTo(HOUR);
        assertThat(c.toMs()).isEqualTo(3 * HOUR);
        assertThat(c.windowStarts(WindowSeries.HOUR)).containsExactly(HOUR, 2 * HOUR);
        assertThat(c.parallelism()).isEqualTo(1);
        assertThat(c.influxUrl()).isEqualTo("http://127.0.0.1:26086");
    }

    @Test
    void shouldRefuseMissingOrBadOptionsNamingThem() {
        assertThatThrownBy(() -> RollupJobConfig.parse("--to", "2026-12-01"))
                .hasMessageContaining("--from is required");
        assertThatThrownBy(() -> RollupJobConfig.parse("--from", "yesterday", "--to", "2026-12-01"))
                .hasMessageContaining("--from: expected epoch ms");
        assertThatThrownBy(() -> RollupJobConfig.parse("--from", "2026-12-02", "--to", "2026-12-01"))
                .hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> RollupJobConfig.parse("--from", "0", "--to", "1", "--series", "minute"))
                .hasMessageContaining("--series");
        assertThatThrownBy(() -> RollupJobConfig.parse("--from", "0", "--to", "1", "--bogus", "1"))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> RollupJobConfig.parse("--from", "0", "--to", "1", "--parallelism", "0"))
                .hasMessageContaining("parallelism");
        assertThatThrownBy(() -> RollupJobConfig.parse("--from")).hasMessageContaining("needs a value");
        assertThat(RollupJobConfig.usage()).contains("--from (required)").contains("--series (default all)");
    }

    @Test
    void shouldListNoSliceTwice() {
        RollupJobConfig c = RollupJobConfig.of("u", "db", List.of(WindowSeries.HOUR), 0, 3 * HOUR);
        assertThat(c.windowStarts(WindowSeries.HOUR)).doesNotHaveDuplicates().hasSize(3);
    }
}
