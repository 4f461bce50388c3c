package io.streamthings.devicemgmt.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEvent.Kind;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.db.LastSeenUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The registry folds what ingest and the real-time job write to device.events, and skips the rest. */
class DeviceActivityConsumerTest {

    private final DeviceActivityConsumer consumer = new DeviceActivityConsumer(null, "127.0.0.1:1");

    @Test
    void shouldTakeOnlineOfflineAndSeenAsWrittenByIngestAndTheRealtimeJob() {
        assertThat(consumer.parse(Topics.DEVICE_EVENTS.encodeValue(
                DeviceEvent.connection(Kind.ONLINE, "acme", "t-17", 1_000, "mqtt", null))))
                .contains(new LastSeenUpdate("acme", "t-17", Instant.ofEpochMilli(1_000), true));
        assertThat(consumer.parse(Topics.DEVICE_EVENTS.encodeValue(
                DeviceEvent.presence(Kind.OFFLINE, "acme", "t-17", 2_000))))
                .contains(new LastSeenUpdate("acme", "t-17", Instant.ofEpochMilli(2_000), false));
        assertThat(consumer.parse(Topics.DEVICE_EVENTS.encodeValue(
                DeviceEvent.presence(Kind.SEEN, "acme", "t-17", 3_000))))
                .contains(new LastSeenUpdate("acme", "t-17", Instant.ofEpochMilli(3_000), null));
    }

    @Test
    void shouldSkipLifecycleEventsUnreadableInputAndTombstones() {
        assertThat(consumer.parse(Topics.DEVICE_EVENTS.encodeValue(DeviceEvent.lifecycle(Kind.ENROLLED, "acme",
                "t-17", "thermostat", DeviceStatus.ACTIVE, 1)))).isEmpty();
        assertThat(consumer.parse("{\"type\":\"rebooted\",\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"ts\":1}"
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(consumer.parse("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(consumer.parse(null)).isEmpty();
    }
}
