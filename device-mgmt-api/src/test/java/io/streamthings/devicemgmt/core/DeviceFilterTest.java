package io.streamthings.devicemgmt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.errors.ApiException;
import org.junit.jupiter.api.Test;

class DeviceFilterTest {

    @Test
    void shouldEscapeLikeWildcardsAndTheEscapeCharacter() {
        assertThat(DeviceFilter.like("50%_off!")).isEqualTo("%50!%!_off!!%");
        assertThat(DeviceFilter.like("' OR 1=1 --")).isEqualTo("%' OR 1=1 --%");
        assertThat(DeviceFilter.like("  ")).isNull();
    }

    @Test
    void shouldNormaliseTheStatusAndRefuseAnUnknownOne() {
        assertThat(DeviceFilter.of(null, "blocked", "", null).status()).isEqualTo("BLOCKED");
        assertThat(DeviceFilter.of(null, null, "", null).group()).isNull();
        assertThatThrownBy(() -> DeviceFilter.of(null, "ACTIVE' OR '1'='1", null, null))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> DeviceFilter.of("t".repeat(129), null, null, null)).isInstanceOf(ApiException.class);
    }

    @Test
    void shouldReadTheOnlineFilter() {
        assertThat(DeviceFilter.of(null, null, null, null, "TRUE").online()).isTrue();
        assertThat(DeviceFilter.of(null, null, null, null, "false").online()).isFalse();
        assertThat(DeviceFilter.of(null, null, null, null, " ").online()).isNull();
        assertThatThrownBy(() -> DeviceFilter.of(null, null, null, null, "yes")).isInstanceOf(ApiException.class);
    }
}
