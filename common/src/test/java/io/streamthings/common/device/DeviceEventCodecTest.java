package io.streamthings.common.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.device.DeviceEvent.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceEventCodecTest {

    private static final DeviceEventCodec CODEC = DeviceEventCodec.INSTANCE;

    @Test
    void shouldSkipUnknownFieldsSoANewerWriterDoesNotBreakAnOlderReader() {
        DeviceEvent e = CODEC.decode(bytes("{\"type\":\"seen\",\"extra\":{\"a\":[1,2]},\"tenant\":\"acme\","
                + "\"deviceId\":\"t-17\",\"ts\":42,\"future\":\"x\"}"));

        assertThat(e).isEqualTo(DeviceEvent.presence(Kind.SEEN, "acme", "t-17", 42));
    }

    @Test
    void shouldEscapeQuotesAndBackslashesInStrings() {
        DeviceEvent e = DeviceEvent.connection(Kind.OFFLINE, "acme", "t-17", 1, "mqtt", "said \"bye\" \\ left");

        byte[] json = CODEC.encode(e);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"reason\":\"said \\\"bye\\\" \\\\ left\"");
        assertThat(CODEC.decode(json)).isEqualTo(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[]",
        "not json",
        "{\"type\":\"seen\",\"tenant\":\"acme\",\"deviceId\":\"t-17\"}",
        "{\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"ts\":1}",
        "{\"type\":\"seen\",\"deviceId\":\"t-17\",\"ts\":1}",
        "{\"type\":\"seen\",\"tenant\":\"acme\",\"ts\":1}",
        "{\"type\":\"rebooted\",\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"ts\":1}",
        "{\"type\":\"seen\",\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"ts\":\"soon\"}",
        "{\"type\":\"seen\",\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"ts\":1.5}",
        "{\"type\":\"seen\",\"tenant\":7,\"deviceId\":\"t-17\",\"ts\":1}",
        "{\"type\":\"enrolled\",\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"status\":\"ASLEEP\",\"ts\":1}",
        "{\"type\":\"seen\",\"tenant\":\"\",\"deviceId\":\"t-17\",\"ts\":1}"
    })
    void shouldRefuseAnEventThatIsNotOneWithAClearError(String json) {
        assertThatThrownBy(() -> CODEC.decode(bytes(json))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseNull() {
        assertThatThrownBy(() -> CODEC.decode(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CODEC.encode(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameEachKindOnTheWireInLowerCase() {
        assertThat(Kind.STATUS_CHANGED.wireName()).isEqualTo("status_changed");
        assertThat(Kind.ofWireName("token_rotated")).isEqualTo(Kind.TOKEN_ROTATED);
        assertThat(Kind.SEEN.isPresence()).isTrue();
        assertThat(Kind.ENROLLED.isPresence()).isFalse();
    }

    @Test
    void shouldKeyAnEventByItsDevice() {
        assertThat(DeviceEvent.presence(Kind.SEEN, "acme", "t-17", 1).key().toString()).isEqualTo("acme/t-17");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
