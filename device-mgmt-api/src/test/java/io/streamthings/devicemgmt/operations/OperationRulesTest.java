package io.streamthings.devicemgmt.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.devicemgmt.operations.OperationService.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine of device reports, on rows made here (no database). */
class OperationRulesTest {

    private static OperationRow row(String status, boolean oneWay) {
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        return new OperationRow("acme", "op-1", 1, "d1", null, "COMMAND", "reboot", "{}", oneWay, "k", status, true,
                null, "alice", t, t, t, 1, null, null, t.plusSeconds(60), 1000, t.plusSeconds(60));
    }

    @Test
    void shouldMoveForwardFromSentToDeliveredToInProgressToCompleted() {
        assertThat(OperationService.decide(row("SENT", false), "d1", OperationState.DELIVERED).states())
                .containsExactly(OperationState.DELIVERED);
        assertThat(OperationService.decide(row("DELIVERED", false), "d1", OperationState.IN_PROGRESS).states())
                .containsExactly(OperationState.IN_PROGRESS);
        assertThat(OperationService.decide(row("IN_PROGRESS", false), "d1", OperationState.COMPLETED).states())
                .containsExactly(OperationState.COMPLETED);
    }

    @Test
    void shouldFinishAOneWayOperationWhenDelivered() {
        assertThat(OperationService.decide(row("SENT", true), "d1", OperationState.DELIVERED).states())
                .containsExactly(OperationState.DELIVERED, OperationState.COMPLETED);
    }

    @Test
    void shouldLetADeviceSkipSteps() {
        // The device's own report can overtake the transport's DELIVERED: SENT straight to COMPLETED is forward.
        assertThat(OperationService.decide(row("SENT", false), "d1", OperationState.COMPLETED).outcome())
                .isEqualTo(Outcome.APPLIED);
    }

    @Test
    void shouldTakeTheSameReportTwiceAsADuplicate() {
        assertThat(OperationService.decide(row("COMPLETED", false), "d1", OperationState.COMPLETED).outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(OperationService.decide(row("IN_PROGRESS", false), "d1", OperationState.IN_PROGRESS).outcome())
                .isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void shouldRefuseToMoveAFinishedOperationOrToGoBack() {
        for (String finished : List.of("COMPLETED", "ERROR", "REJECTED", "TIMED_OUT", "EXPIRED", "CANCELLED",
                "SUPERSEDED")) {
            assertThat(OperationService.decide(row(finished, false), "d1", OperationState.IN_PROGRESS).outcome())
                    .as(finished).isEqualTo(Outcome.REFUSED);
        }
        assertThat(OperationService.decide(row("COMPLETED", false), "d1", OperationState.ERROR).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(OperationService.decide(row("IN_PROGRESS", false), "d1", OperationState.DELIVERED).outcome())
                .isEqualTo(Outcome.REFUSED);
    }

    @Test
    void shouldNotFindAnotherDevicesOperation() {
        assertThat(OperationService.decide(row("SENT", false), "d2", OperationState.COMPLETED).outcome())
                .isEqualTo(Outcome.NOT_FOUND);
        assertThat(OperationService.decide(null, "d1", OperationState.COMPLETED).outcome())
                .isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void shouldRefuseStatesOnlyThePlatformSets() {
        for (OperationState s : List.of(OperationState.PENDING, OperationState.SENT, OperationState.TIMED_OUT,
                OperationState.EXPIRED, OperationState.CANCELLED, OperationState.SUPERSEDED)) {
            assertThat(OperationService.decide(row("SENT", false), "d1", s).outcome()).as(s.name())
                    .isEqualTo(Outcome.NOT_REPORTABLE);
        }
        assertThat(OperationService.decide(row("SENT", false), "d1", null).outcome())
                .isEqualTo(Outcome.NOT_REPORTABLE);
    }
}
