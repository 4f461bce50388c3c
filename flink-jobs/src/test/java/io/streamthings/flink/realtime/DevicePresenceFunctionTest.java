package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEvent.Kind;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Level 2: the presence operator with Flink's test harness, its clock in the test's hands. */
class DevicePresenceFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, DeviceSeen, DeviceEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DevicePresenceFunction(60_000)), DeviceSeen::key, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldGoOnlineThenOfflineAfterTheSilenceAndCleanUpStateAndTimers() throws Exception {
        // Given a device heard at t = 1 s, with a 5 s timeout
        harness.setProcessingTime(1_000);
        harness.processElement(new DeviceSeen("acme", "d1", 900, 5_000), 1_000);
        assertThat(harness.extractOutputValues()).containsExactly(DeviceEvent.presence(Kind.ONLINE, "acme", "d1", 900));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        // When it is heard again at 4 s, the one timer stays; at 6 s it is not offline yet, the timer moves to 9 s
        harness.setProcessingTime(4_000);
        harness.processElement(new DeviceSeen("acme", "d1", 3_900, 5_000), 4_000);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(6_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        // Then at 9 s it is offline, with its last ingest time, and nothing is left behind
        harness.setProcessingTime(9_000);
        assertThat(harness.extractOutputValues()).containsExactly(DeviceEvent.presence(Kind.ONLINE, "acme", "d1", 900),
                DeviceEvent.presence(Kind.OFFLINE, "acme", "d1", 3_900));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldComeBackOnlineOnTheNextRecordAfterOffline() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(new DeviceSeen("acme", "d1", 10, 1_000), 0);
        harness.setProcessingTime(1_000);
        harness.setProcessingTime(5_000);
        harness.processElement(new DeviceSeen("acme", "d1", 5_010, 1_000), 5_000);
        assertThat(harness.extractOutputValues()).extracting(e -> e.kind().wireName())
                .containsExactly("online", "offline", "online");
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }

    @Test
    void shouldEmitASeenEventAtMostOncePerIntervalWhileOnline() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(new DeviceSeen("acme", "d1", 0, 300_000), 0);
        harness.processElement(new DeviceSeen("acme", "d1", 30_000, 300_000), 0);
        harness.processElement(new DeviceSeen("acme", "d1", 60_000, 300_000), 0);
        harness.processElement(new DeviceSeen("acme", "d1", 61_000, 300_000), 0);
        assertThat(harness.extractOutputValues()).extracting(e -> e.kind().wireName() + "@" + e.ts())
                .containsExactly("online@0", "seen@60000");
    }

    @Test
    void shouldBringTheTimerForwardWhenTheTimeoutIsShortened() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(new DeviceSeen("acme", "d1", 0, 300_000), 0);
        harness.processElement(new DeviceSeen("acme", "d1", 1, 2_000), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(2_000);
        assertThat(harness.extractOutputValues()).extracting(e -> e.kind().wireName())
                .containsExactly("online", "offline");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldKeepDevicesApart() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(new DeviceSeen("acme", "d1", 0, 1_000), 0);
        harness.setProcessingTime(600);
        harness.processElement(new DeviceSeen("acme", "d2", 600, 1_000), 600);
        harness.setProcessingTime(1_000);
        assertThat(harness.extractOutputValues()).extracting(e -> e.kind().wireName() + ":" + e.deviceId())
                .containsExactly("online:d1", "online:d2", "offline:d1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }
}
