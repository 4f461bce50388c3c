package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PresenceRulesTest {

    @Test
    void shouldTakeTheOfflineTimeoutFromAValidTagElseTheDefault() {
        assertThat(PresenceRules.offlineAfterMs(null, 300_000)).isEqualTo(300_000);
        assertThat(PresenceRules.offlineAfterMs("2000", 300_000)).isEqualTo(2_000);
        assertThat(PresenceRules.offlineAfterMs(" 60000 ", 300_000)).isEqualTo(60_000);
        assertThat(PresenceRules.offlineAfterMs("soon", 300_000)).as("not a number").isEqualTo(300_000);
        assertThat(PresenceRules.offlineAfterMs("10", 300_000)).as("below the minimum").isEqualTo(300_000);
        assertThat(PresenceRules.offlineAfterMs("99999999999", 300_000)).as("above the maximum").isEqualTo(300_000);
    }

    @Test
    void shouldDeclareOfflineOnlyOnceTheSilenceReachesTheTimeout() {
        assertThat(PresenceRules.onTimer(1_000, 5_000, 6_000)).isEqualTo(PresenceRules.OFFLINE);
        assertThat(PresenceRules.onTimer(1_000, 5_000, 9_000)).isEqualTo(PresenceRules.OFFLINE);
        assertThat(PresenceRules.onTimer(3_000, 5_000, 6_000)).as("heard since: check again later").isEqualTo(8_000);
    }

    @Test
    void shouldThrottleSignsOfLifeByAtMostASecondAndAQuarterOfTheTimeout() {
        assertThat(PresenceRules.throttleMs(300_000)).isEqualTo(1_000);
        assertThat(PresenceRules.throttleMs(2_000)).isEqualTo(500);
    }

    @Test
    void shouldMakeASeenEventDueAfterTheIntervalUnlessDisabled() {
        assertThat(PresenceRules.seenDue(0, 60_000, 60_000)).isTrue();
        assertThat(PresenceRules.seenDue(0, 59_999, 60_000)).isFalse();
        assertThat(PresenceRules.seenDue(0, 1_000_000, 0)).isFalse();
    }

    @Test
    void shouldLetTheFirstSignOfLifeThroughThenAtMostOnePerInterval() {
        assertThat(PresenceRules.signOfLifeDue(Long.MIN_VALUE, 1_000, 500)).as("first").isTrue();
        assertThat(PresenceRules.signOfLifeDue(1_000, 1_400, 500)).isFalse();
        assertThat(PresenceRules.signOfLifeDue(1_000, 1_500, 500)).isTrue();
        assertThat(PresenceRules.signOfLifeDue(1_000, 900, 500)).as("the clock went back").isTrue();
        assertThat(PresenceRules.MIN_THROTTLE_MS).isEqualTo(PresenceRules.throttleMs(PresenceRules.MIN_OFFLINE_AFTER_MS));
    }
}
