package io.streamthings.devicemgmt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeParamTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void shouldAcceptEpochMillisIsoNowAndRelativeTimes() {
        assertThat(TimeParam.parse("1764131000123", NOW)).isEqualTo(Instant.ofEpochMilli(1764131000123L));
        assertThat(TimeParam.parse("2026-11-26T10:00:00Z", NOW)).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(TimeParam.parse("2026-11-26T10:00:00+01:00", NOW)).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(TimeParam.parse("now", NOW)).isEqualTo(NOW);
        assertThat(TimeParam.parse("-1h", NOW)).isEqualTo(NOW.minusSeconds(3600));
        assertThat(TimeParam.parse("now-15m", NOW)).isEqualTo(NOW.minusSeconds(900));
        assertThat(TimeParam.parse("-2d", NOW)).isEqualTo(NOW.minusSeconds(2 * 86_400));
    }

    @Test
    void shouldAcceptTimesRelativeToTheFuture() {
        assertThat(TimeParam.parse("+24h", NOW)).isEqualTo(NOW.plusSeconds(24 * 3600));
        assertThat(TimeParam.parse("now+30m", NOW)).isEqualTo(NOW.plusSeconds(1800));
        assertThat(TimeParam.parse("+1w", NOW)).isEqualTo(NOW.plusSeconds(7 * 86_400));
    }

    @Test
    void shouldRefuseAnythingElse() {
        for (String bad : new String[] {"yesterday", "-1y", "+1y", "1h", " 24h", "+-1h", "2026-13-40", "' OR 1=1", ""}) {
            assertThatThrownBy(() -> TimeParam.parse(bad, NOW)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
