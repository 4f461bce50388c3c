package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.influx.DayAvailability;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

    private static final long H = 3_600_000L;
    private static final long DAY = Availability.DAY_MS;
    private static final long D0 = 20_000 * DAY;

    private static long seq;

    private static PresenceChange on(long ts) {
        return new PresenceChange("acme", "d1", ts, true, seq++);
    }

    private static PresenceChange off(long ts) {
        return new PresenceChange("acme", "d1", ts, false, seq++);
    }

    @Test
    void shouldCountAWholeDayUpWhenOnlineBeforeItAndOnlySeenDuringIt() {
        List<DayAvailability> days = Availability.days(List.of(on(D0 - H), on(D0 + 5 * H), on(D0 + 20 * H)), D0,
                D0 + DAY);
        assertThat(days).containsExactly(new DayAvailability("acme", "d1", D0, DAY, DAY, 0, 0));
        assertThat(days.get(0).uptimeRatio()).isEqualTo(1.0);
    }

    @Test
    void shouldSplitAnOutageAcrossMidnightOverBothDays() {
        // offline at 22:00 on day 0, back at 03:00 on day 1
        List<DayAvailability> days = Availability.days(List.of(on(D0), off(D0 + 22 * H), on(D0 + DAY + 3 * H)), D0,
                D0 + 2 * DAY);
        assertThat(days).containsExactly(
                new DayAvailability("acme", "d1", D0, DAY, 22 * H, 1, 2 * H),
                new DayAvailability("acme", "d1", D0 + DAY, DAY, 21 * H, 1, 3 * H));
    }

    @Test
    void shouldCarryThePreviousStateThroughADayWithoutEvents() {
        // offline on day 0 at 12:00, nothing on day 1, online on day 2 at 06:00
        List<DayAvailability> days = Availability.days(List.of(on(D0), off(D0 + 12 * H), on(D0 + 2 * DAY + 6 * H)),
                D0, D0 + 3 * DAY);
        assertThat(days).containsExactly(
                new DayAvailability("acme", "d1", D0, DAY, 12 * H, 1, 12 * H),
                new DayAvailability("acme", "d1", D0 + DAY, DAY, 0, 1, DAY),
                new DayAvailability("acme", "d1", D0 + 2 * DAY, DAY, 18 * H, 1, 6 * H));
        assertThat(days.get(1).uptimeRatio()).isEqualTo(0.0);
    }

    @Test
    void shouldCountOnlyFromTheDevicesFirstEventAndNothingForTheDaysBefore() {
        List<DayAvailability> days = Availability.days(List.of(on(D0 + DAY + 18 * H), off(D0 + DAY + 20 * H)), D0,
                D0 + 2 * DAY);
        assertThat(days).containsExactly(new DayAvailability("acme", "d1", D0 + DAY, 6 * H, 2 * H, 1, 4 * H));
        assertThat(days.get(0).uptimeRatio()).isEqualTo(2.0 / 6);
    }

    @Test
    void shouldCountSeveralOutagesAndTheLongestOneAndIgnoreRepeatedOfflinesAndEventsPastTheRange() {
        List<PresenceChange> events = new ArrayList<>(List.of(
                off(D0 + 1 * H), off(D0 + 1 * H + 5), on(D0 + 2 * H),          // 1 h
                off(D0 + 10 * H), on(D0 + 13 * H),                              // 3 h
                off(D0 + 15 * H), on(D0 + 15 * H + 1),                          // 1 ms
                off(D0 + DAY + H)));                                            // past the range
        java.util.Collections.reverse(events); // order of arrival does not matter
        List<DayAvailability> days = Availability.days(events, D0, D0 + DAY);
        assertThat(days).containsExactly(new DayAvailability("acme", "d1", D0, DAY - H, DAY - H - 4 * H - 1, 3,
                3 * H));
    }

    @Test
    void shouldKeepTheWrittenOrderOfEventsWithTheSameTime() {
        List<DayAvailability> days = Availability.days(List.of(on(D0), off(D0 + H), on(D0 + H)), D0, D0 + DAY);
        assertThat(days.get(0).uptimeMs()).isEqualTo(DAY);
        assertThat(days.get(0).outages()).isEqualTo(1);
        assertThat(days.get(0).longestOutageMs()).isZero();
    }

    @Test
    void shouldGiveNothingWithoutEventsAndRefuseARangeOffTheDays() {
        assertThat(Availability.days(List.of(), D0, D0 + DAY)).isEmpty();
        assertThatThrownBy(() -> Availability.days(List.of(on(D0)), D0 + 1, D0 + DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole UTC days");
    }
}
