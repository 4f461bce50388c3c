package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The token endpoint's limits: per username, lockout after failures, per client address; 429 with Retry-After. */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginLimitsIT {

    private static final AppUnderTest APP = AppUnderTest.create("login_limits_it",
            ConfigOverride.config("auth.loginAttemptsPerAddressPerMinute", "25"),
            ConfigOverride.config("auth.loginAttemptsPerUsernamePerMinute", "6"),
            ConfigOverride.config("auth.lockoutFailures", "3"),
            ConfigOverride.config("auth.lockoutSeconds", "600"));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        for (String name : new String[] {"lou", "ursula"}) {
            api.post("/api/v1/users", admin, "{\"username\":\"" + name + "\",\"password\":\"" + name
                    + "-password\"}").assertStatus(201);
        }
    }

    private static Api.Reply signIn(String username, String password) {
        return api.form("/api/v1/oauth2/token", null,
                Map.of("grant_type", "password", "username", username, "password", password));
    }

    private static void assertRetryAfter(Api.Reply reply) {
        reply.assertError(429);
        assertThat(reply.headers().get("retry-after")).singleElement()
                .satisfies(v -> assertThat(Long.parseLong(v)).isPositive());
    }

    @Test
    @Order(1)
    void shouldLockAUserOutAfterRepeatedFailuresEvenWithTheRightPassword() {
        for (int i = 0; i < 3; i++) {
            signIn("lou", "wrong-password").assertError(401);
        }

        Api.Reply locked = signIn("lou", "lou-password");

        assertRetryAfter(locked);
        assertThat(locked.json().path("message").asText()).contains("failed sign-ins");
        api.login("ursula", "ursula-password");
    }

    @Test
    @Order(2)
    void shouldLimitAttemptsPerUsername() {
        for (int i = 0; i < 5; i++) {
            api.login("ursula", "ursula-password");
        }

        assertRetryAfter(signIn("ursula", "ursula-password"));
    }

    @Test
    @Order(3)
    void shouldLimitAttemptsPerClientAddress() {
        Api.Reply reply = null;
        for (int i = 0; i < 30; i++) {
            reply = signIn("nobody-" + i, "whatever-password");
            if (reply.status() == 429) {
                break;
            }
            reply.assertError(401);
        }

        assertRetryAfter(reply);
        assertThat(reply.json().path("message").asText()).contains("address");
        assertRetryAfter(signIn("admin", APP.adminPassword()));
    }
}
