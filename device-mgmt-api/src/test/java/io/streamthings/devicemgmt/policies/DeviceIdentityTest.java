package io.streamthings.devicemgmt.policies;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceIdentityTest {

    @Test
    void shouldReadTheDeviceAndTenantFromTheBearerValue() {
        assertThat(DeviceIdentity.parse("Bearer d1@acme:tok")).isEqualTo(new DeviceIdentity.Device("acme", "d1"));
        assertThat(DeviceIdentity.parse("bearer d1:tok")).isEqualTo(new DeviceIdentity.Device("default", "d1"));
        assertThat(DeviceIdentity.parse("Bearer plant:d1@acme:tok"))
                .isEqualTo(new DeviceIdentity.Device("acme", "plant:d1"));
    }

    @Test
    void shouldRefuseMalformedValues() {
        assertThat(DeviceIdentity.parse(null)).isNull();
        assertThat(DeviceIdentity.parse("Basic abc")).isNull();
        assertThat(DeviceIdentity.parse("Bearer tokenonly")).isNull();
        assertThat(DeviceIdentity.parse("Bearer d1:")).isNull();
        assertThat(DeviceIdentity.parse("Bearer @acme:tok")).isNull();
        assertThat(DeviceIdentity.parse("Bearer d1@:tok")).isNull();
    }
}
