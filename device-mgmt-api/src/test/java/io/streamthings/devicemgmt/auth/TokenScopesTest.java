package io.streamthings.devicemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.errors.ApiException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenScopesTest {

    private static final Set<String> GRANTED = Set.of("device:view", "device:manage");

    @Test
    void shouldGrantEverythingWhenNothingIsRequested() {
        assertThat(TokenService.narrow(GRANTED, null)).isEqualTo(GRANTED);
        assertThat(TokenService.narrow(GRANTED, "  ")).isEqualTo(GRANTED);
    }

    @Test
    void shouldNarrowToTheRequestedScopes() {
        assertThat(TokenService.narrow(GRANTED, " device:view ")).containsExactly("device:view");
    }

    @Test
    void shouldRefuseAScopeThatIsNotGranted() {
        assertThatThrownBy(() -> TokenService.narrow(GRANTED, "device:view user:manage"))
                .isInstanceOf(ApiException.class).hasMessageContaining("user:manage");
    }

    @Test
    void shouldHashPasswordsWithBcryptAndRefuseWrongOnes() {
        PasswordHasher hasher = new PasswordHasher(4);
        String hash = hasher.hash("correct horse");

        assertThat(hash).startsWith("$2a$04$");
        assertThat(hasher.verify("correct horse", hash)).isTrue();
        assertThat(hasher.verify("wrong horse", hash)).isFalse();
        assertThat(hasher.verify("x".repeat(100), hash)).isFalse();
    }

    @Test
    void shouldMakeUnguessableAccessTokensAndStoreOnlyTheirHash() {
        String token = AccessTokens.newToken();

        assertThat(token).hasSize(43).isNotEqualTo(AccessTokens.newToken());
        assertThat(AccessTokens.sha256(token)).hasSize(32).isEqualTo(AccessTokens.sha256(token));
    }
}
