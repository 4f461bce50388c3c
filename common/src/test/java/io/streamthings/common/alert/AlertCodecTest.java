package io.streamthings.common.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertCodecTest {

    @Test
    void shouldRefuseLeadingZeroBytesAsUnreadableNotFailWithAnIoError() {
        byte[] json = new byte[40];
        byte[] text = "{\"tenant\":\"a\",\"rule\":\"r\",\"ts\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(text, 0, json, 13, Math.min(text.length, 27));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AlertCodec.decode(json))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripKeepsEveryFieldAndValueType() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("temperature", 93.5);
        values.put("count", 3L);
        values.put("site", "berlin");
        values.put("armed", true);
        AlertEvent alert = new AlertEvent("acme", "rule", "hot-device", "d1", "CRITICAL", "too hot", 1_000L,
                2_000L, values);

        AlertEvent back = AlertCodec.decode(AlertCodec.encode(alert));

        assertThat(back).isEqualTo(alert);
        assertThat(back.severity()).isEqualTo("critical");
        assertThat(back.values()).containsExactly(Map.entry("temperature", 93.5), Map.entry("count", 3L),
                Map.entry("site", "berlin"), Map.entry("armed", true));
    }

    @Test
    void defaultsSeverityMessageAndDevice() {
        AlertEvent alert = new AlertEvent("acme", "rule", "site-overheat", " ", "loud", null, 5L, 6L, null);

        assertThat(alert.deviceId()).isNull();
        assertThat(alert.severity()).isEqualTo("warning");
        assertThat(alert.message()).isEqualTo("site-overheat");
        assertThat(alert.kafkaKey()).isEqualTo("acme/site-overheat");
        assertThat(alert.dedupKey()).isEqualTo("acme/site-overheat/");
        assertThat(AlertCodec.decode(AlertCodec.encode(alert))).isEqualTo(alert);
    }

    @Test
    void nonFiniteNumbersTravelAsText() {
        AlertEvent alert = new AlertEvent("acme", "rule", "r", "d", null, null, 1L, 1L,
                Map.of("rate", Double.POSITIVE_INFINITY));

        assertThat(AlertCodec.decode(AlertCodec.encode(alert)).values()).containsEntry("rate", "Infinity");
    }

    @Test
    void refusesWhatIsNotAnAlert() {
        assertThatThrownBy(() -> AlertCodec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object");
        assertThatThrownBy(() -> AlertCodec.decode("{\"tenant\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
        assertThatThrownBy(() -> AlertCodec.decode("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> AlertCodec.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
