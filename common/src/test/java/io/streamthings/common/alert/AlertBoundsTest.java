package io.streamthings.common.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.telemetry.DeadLetter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertBoundsTest {

    private static AlertEvent alert(String tenant, String deviceId, String message, Map<String, Object> values) {
        return new AlertEvent(tenant, "rule", "hot", deviceId, "critical", message, 1_000L, 2_000L, values);
    }

    @Test
    void shouldKeepAnAlertWithinItsBoundsAsItIs() {
        AlertEvent ok = alert("acme", "d1", "too hot", Map.of("temperature", 93.5, "site", "s1"));
        assertThat(AlertBounds.bound(ok)).isSameAs(ok);
    }

    @Test
    void shouldRefuseADeviceIdLongerThanTheStoreHolds() {
        AlertEvent longId = alert("acme", "d".repeat(200), "hot", Map.of());
        assertThatThrownBy(() -> AlertBounds.bound(longId))
                .isInstanceOfSatisfying(InvalidAlertException.class, e -> assertThat(e.field()).isEqualTo("deviceId"))
                .hasMessage("deviceId: at most 128 characters, got 200");
    }

    @Test
    void shouldRefuseAControlCharacterInAnIdentityField() {
        assertThatThrownBy(() -> AlertBounds.bound(alert("acme", "d\u00001", "hot", Map.of())))
                .isInstanceOf(InvalidAlertException.class)
                .hasMessage("deviceId: control character U+0000 at index 1");
        assertThatThrownBy(() -> AlertBounds.bound(alert("ac\nme", "d1", "hot", Map.of())))
                .hasMessageStartingWith("tenant: control character U+000A");
    }

    @Test
    void shouldStripNulAndControlCharactersFromTextButKeepTabsAndNewlines() {
        AlertEvent dirty = alert("acme", "d1", "too\u0000 hot\n\tnow\u001b", Map.of("site\u0000", "s\u00001\uD800"));
        AlertEvent clean = AlertBounds.bound(dirty);
        assertThat(clean.message()).isEqualTo("too hot\n\tnow");
        assertThat(clean.values()).containsExactly(Map.entry("site", "s1"));
    }

    @Test
    void shouldCutAHugeMessageAndTextValueWithAMarker() {
        AlertEvent huge = alert("acme", "d1", "m".repeat(100_000), Map.of("note", "n".repeat(5_000)));
        AlertEvent cut = AlertBounds.bound(huge);
        assertThat(cut.message()).hasSize(AlertBounds.MAX_MESSAGE_CHARS).endsWith(AlertBounds.CUT_MARKER);
        assertThat((String) cut.values().get("note")).hasSize(AlertBounds.MAX_TEXT_VALUE_CHARS)
                .endsWith(AlertBounds.CUT_MARKER);
    }

    @Test
    void shouldRefuseMoreValuesThanTheBound() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i <= AlertBounds.MAX_VALUES; i++) {
            many.put("v" + i, i);
        }
        assertThatThrownBy(() -> AlertBounds.bound(alert("acme", "d1", "hot", many)))
                .isInstanceOfSatisfying(InvalidAlertException.class, e -> assertThat(e.field()).isEqualTo("values"));
    }

    @Test
    void shouldLeaveAnOutOfBoundsTenantOrDeviceOutOfTheDeadLetter() {
        DeadLetter letter = AlertBounds.deadLetter("deviceId: too long", "deviceId", new byte[] {1}, 5L,
                "device-mgmt", "acme", "d".repeat(200));
        assertThat(letter.tenant()).isEqualTo("acme");
        assertThat(letter.deviceId()).isNull();
        assertThat(AlertBounds.deadLetter("r", "$", new byte[0], 5L, "rules", "a\u0000", "d1").tenant()).isNull();
    }
}
