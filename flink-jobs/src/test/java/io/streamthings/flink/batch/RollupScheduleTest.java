package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.influx.WindowSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollupScheduleTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final long T = 1000 * DAY;

    private final RollupSchedule schedule = RollupSchedule.DEFAULT;

    @Test
    void shouldRollUpAnHourOnlyAfterItsGraceHasPassed() {
        assertThat(schedule.due(WindowSeries.HOUR, T, null, T + HOUR + 4 * MIN)).isEmpty();
        assertThat(schedule.due(WindowSeries.HOUR, T, null, T + HOUR + 5 * MIN)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T, T + HOUR));
    }

    @Test
    void shouldCatchUpEveryMissedHourAfterADowntime() {
        assertThat(schedule.due(WindowSeries.HOUR, T, null, T + 10 * HOUR + 30 * MIN)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T, T + 10 * HOUR));
    }

    @Test
    void shouldGoBackADayOnTheFirstRunAndNeverBeyondTheCatchUpLimit() {
        assertThat(schedule.due(WindowSeries.HOUR, null, null, T + 30 * MIN)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T - DAY, T));
        assertThat(schedule.due(WindowSeries.HOUR, T - 200 * DAY, null, T + 30 * MIN)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T - 90 * DAY, T));
    }

    @Test
    void shouldRunTheAvailabilityOfADayAnHourAfterItClosedAndCatchUpOnMissedDays() {
        RollupSchedule availability = AvailabilityJob.SCHEDULE;
        assertThat(availability.due(DAY, T, Long.MAX_VALUE, T + DAY + 59 * MIN)).isEmpty();
        assertThat(availability.due(DAY, T, Long.MAX_VALUE, T + DAY + HOUR)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T, T + DAY));
        assertThat(availability.due(DAY, T, Long.MAX_VALUE, T + 3 * DAY + 2 * HOUR)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T, T + 3 * DAY));
        // the first run does the day before; a long outage catches up on the last 7 days (the topic's retention)
        assertThat(availability.due(DAY, null, Long.MAX_VALUE, T + 2 * HOUR)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T - DAY, T));
        assertThat(availability.due(DAY, T - 100 * DAY, Long.MAX_VALUE, T + 2 * HOUR)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T - 7 * DAY, T));
    }

    @Test
    void shouldRollUpADayOnlyOnceItsHoursAreDone() {
        assertThat(schedule.due(WindowSeries.DAY, T, null, T + DAY + HOUR)).isEmpty();
        assertThat(schedule.due(WindowSeries.DAY, T, T + 23 * HOUR, T + DAY + HOUR)).isEmpty();
        assertThat(schedule.due(WindowSeries.DAY, T, T + DAY, T + DAY + HOUR)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(T, T + DAY));
    }

    @Test
    void shouldKeepProgressPerSeriesInTheStateFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("batch").resolve("rollups.properties");
        assertThat(RollupSchedule.doneUntil(file, WindowSeries.HOUR)).isNull();
        RollupSchedule.markDone(file, WindowSeries.HOUR, T);
        RollupSchedule.markDone(file, WindowSeries.DAY, T - DAY);
        RollupSchedule.markDone(file, WindowSeries.HOUR, T + HOUR);
        assertThat(RollupSchedule.doneUntil(file, WindowSeries.HOUR)).isEqualTo(T + HOUR);
        assertThat(RollupSchedule.doneUntil(file, WindowSeries.DAY)).isEqualTo(T - DAY);
    }

    @Test
    void shouldRefuseACorruptStateFileNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rollups.properties");
        Files.writeString(file, "telemetry_1h.doneUntil=soon\n");
        assertThatThrownBy(() -> RollupSchedule.doneUntil(file, WindowSeries.HOUR))
                .hasMessageContaining("rollups.properties").hasMessageContaining("not a number");
    }
}
