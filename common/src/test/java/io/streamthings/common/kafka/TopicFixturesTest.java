package io.streamthings.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEvent.Kind;
import io.streamthings.common.device.DeviceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the typed topics against its golden file under {@code fixtures/}: the value codec of the topic
 * writes exactly the file's bytes and reads the file back to the same value. A change of wire format fails here.
 */
class TopicFixturesTest {

    private static final long TS = 1_764_131_000_123L;
    private static final long AT = 1_764_131_000_456L;

    static Stream<Arguments> deviceEvents() {
        return Stream.of(
                Arguments.of("enrolled.json", DeviceEvent.lifecycle(Kind.ENROLLED, "acme", "t-17", "thermostat",
                        DeviceStatus.ACTIVE, TS)),
                Arguments.of("status-changed.json", DeviceEvent.lifecycle(Kind.STATUS_CHANGED, "acme", "t-17",
                        "thermostat", DeviceStatus.BLOCKED, TS)),
                Arguments.of("token-rotated.json", DeviceEvent.lifecycle(Kind.TOKEN_ROTATED, "acme", "t-17",
                        "thermostat", DeviceStatus.ACTIVE, TS)),
                Arguments.of("updated.json", DeviceEvent.lifecycle(Kind.UPDATED, "acme", "t-17", "thermostat",
                        DeviceStatus.INACTIVE, TS)),
                Arguments.of("removed.json", DeviceEvent.lifecycle(Kind.REMOVED, "acme", "t-17", "thermostat",
                        DeviceStatus.REMOVED, TS)),
                Arguments.of("online-mqtt.json", DeviceEvent.connection(Kind.ONLINE, "acme", "t-17", AT, "mqtt",
                        null)),
                Arguments.of("offline-mqtt.json", DeviceEvent.connection(Kind.OFFLINE, "acme", "t-17", AT, "mqtt",
                        "keep-alive timeout")),
                Arguments.of("online.json", DeviceEvent.presence(Kind.ONLINE, "acme", "t-17", AT)),
                Arguments.of("offline.json", DeviceEvent.presence(Kind.OFFLINE, "acme", "t-17", AT)),
                Arguments.of("seen.json", DeviceEvent.presence(Kind.SEEN, "acme", "t-17", 1_764_131_000_789L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceEvents")
    void shouldWriteAndReadEachDeviceEventAsItsFixture(String file, DeviceEvent event) throws IOException {
        byte[] golden = fixture("device-events/" + file);

        assertThat(new String(Topics.DEVICE_EVENTS.encodeValue(event), StandardCharsets.UTF_8))
                .isEqualTo(new String(golden, StandardCharsets.UTF_8));
        assertThat(Topics.DEVICE_EVENTS.decodeValue(golden)).isEqualTo(event);
    }

    static Stream<Arguments> alerts() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("temperature", 93.5);
        values.put("count", 3L);
        values.put("site", "plant-a");
        values.put("armed", true);
        return Stream.of(
                Arguments.of("device-alert.json", new AlertEvent("acme", "rule", "hot-device", "t-17", "critical",
                        "too hot", TS, AT, values)),
                Arguments.of("tenant-alert.json", new AlertEvent("acme", "flink", "site-silent", null, "warning",
                        null, TS, AT, Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alerts")
    void shouldWriteAndReadEachAlertAsItsFixture(String file, AlertEvent alert) throws IOException {
        byte[] golden = fixture("alerts/" + file);

        assertThat(new String(Topics.ALERTS.encodeValue(alert), StandardCharsets.UTF_8))
                .isEqualTo(new String(golden, StandardCharsets.UTF_8));
        assertThat(Topics.ALERTS.decodeValue(golden)).isEqualTo(alert);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void shouldWriteAndReadEachCredentialAsItsFixture(String file, DeviceCredential credential) throws IOException {
        byte[] golden = fixture("device-credentials/" + file);

        assertThat(new String(Topics.DEVICE_CREDENTIALS.encodeValue(credential), StandardCharsets.UTF_8))
                .isEqualTo(new String(golden, StandardCharsets.UTF_8));
        // Compared by its JSON again: the salt and hash are arrays.
        assertThat(Topics.DEVICE_CREDENTIALS.encodeValue(Topics.DEVICE_CREDENTIALS.decodeValue(golden)))
                .isEqualTo(golden);
    }

    static Stream<Arguments> credentials() {
        return Stream.of(Arguments.of("active.json", new DeviceCredential("acme", "t-17", "thermostat", "alice",
                DeviceStatus.ACTIVE, new byte[] {0, 1, 2, 3}, new byte[] {4, 5, 6, 7}, TS)));
    }

    /** The fixture's bytes without the final newline the file ends with. */
    private static byte[] fixture(String path) throws IOException {
        try (InputStream in = TopicFixturesTest.class.getResourceAsStream("/fixtures/" + path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        }
    }
}
