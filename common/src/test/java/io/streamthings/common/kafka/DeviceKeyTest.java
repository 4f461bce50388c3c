package io.streamthings.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceKeyTest {

    @Test
    void shouldWriteTenantSlashDeviceId() {
        assertThat(DeviceKey.of("acme", "t-17").toString()).isEqualTo("acme/t-17");
        assertThat(Topics.deviceKey("acme", "t-17")).isEqualTo("acme/t-17");
        assertThat(DeviceKey.CODEC.encode(DeviceKey.of("acme", "t-17")))
                .isEqualTo("acme/t-17".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSplitAtTheFirstSlashSoTheDevicePartMayHoldMore() {
        assertThat(DeviceKey.parse("acme/t-17")).isEqualTo(DeviceKey.of("acme", "t-17"));
        assertThat(DeviceKey.parse("acme/a/b")).isEqualTo(DeviceKey.of("acme", "a/b"));
        assertThat(DeviceKey.CODEC.decode("acme/t-17".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DeviceKey.of("acme", "t-17"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "acme", "/t-17", "acme/", "/", " /t-17", "acme/ "})
    void shouldRefuseAKeyNotOfTheFormTenantSlashDeviceId(String key) {
        assertThatThrownBy(() -> DeviceKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceKey.tryParse(key)).isEmpty();
    }

    @Test
    void shouldRefuseABlankPartWhenBuilding() {
        assertThatThrownBy(() -> DeviceKey.of("", "t-17")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceKey.of("acme", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceKey.CODEC.encode(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
