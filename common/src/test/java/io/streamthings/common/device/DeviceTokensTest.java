package io.streamthings.common.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {

    @Test
    void shouldGenerateDistinctUrlSafeTokensOf256Bits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = DeviceTokens.generate();
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
            seen.add(token);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void shouldVerifyTheTokenThatWasHashed() {
        String token = DeviceTokens.generate();
        byte[] salt = DeviceTokens.newSalt();

        byte[] hash = DeviceTokens.hash(salt, token);

        assertThat(hash).hasSize(32);
        assertThat(DeviceTokens.verify(salt, hash, token)).isTrue();
    }

    @Test
    void shouldRejectAnotherTokenAnotherSaltOrNothing() {
        String token = DeviceTokens.generate();
        byte[] salt = DeviceTokens.newSalt();
        byte[] hash = DeviceTokens.hash(salt, token);

        assertThat(DeviceTokens.verify(salt, hash, DeviceTokens.generate())).isFalse();
        assertThat(DeviceTokens.verify(DeviceTokens.newSalt(), hash, token)).isFalse();
        assertThat(DeviceTokens.verify(salt, hash, null)).isFalse();
        assertThat(DeviceTokens.verify(salt, hash, "")).isFalse();
    }

    @Test
    void shouldHashTheSameTokenDifferentlyUnderDifferentSalts() {
        String token = DeviceTokens.generate();

        assertThat(DeviceTokens.hash(DeviceTokens.newSalt(), token))
                .isNotEqualTo(DeviceTokens.hash(DeviceTokens.newSalt(), token));
    }
}
