package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.auth.AccessTokens;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The foundation: start-up, health checks, first admin, token endpoint, 401/403 and error bodies. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuthIT {

    private static final AppUnderTest APP = AppUnderTest.create("auth_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void login() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
    }

    @Test
    void shouldWriteTheGeneratedAdminPasswordToAnOwnerOnlyFile() throws Exception {
        if (System.getenv("STREAMTHINGS_ADMIN_PASSWORD") == null) {
            assertThat(Files.getPosixFilePermissions(APP.passwordFile()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void shouldReportTheFourHealthChecks() {
        Api.Reply reply = new Api(APP.adminUrl()).get("/healthcheck", null);
        JsonNode checks = reply.json();
        assertThat(checks.fieldNames()).toIterable().contains("postgres", "kafka", "mqtt", "influxdb");
        assertThat(checks.path("postgres").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("kafka").path("healthy").asBoolean()).isTrue();
        // No MQTT broker or InfluxDB in this test: their checks must say so, not hang.
        assertThat(checks.path("mqtt").path("healthy").asBoolean()).isFalse();
        assertThat(checks.path("influxdb").path("healthy").asBoolean()).isFalse();
    }

    @Test
    void shouldIssueABearerTokenWithAllGrantedScopesForThePasswordGrant() {
        Api.Reply reply = api.form("/api/v1/oauth2/token", null,
                Map.of("grant_type", "password", "username", "admin", "password", APP.adminPassword()));

        reply.assertStatus(200);
        JsonNode token = reply.json();
        assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(token.path("scope").asText().split(" ")).contains("device:view", "device:manage", "user:manage");
        assertThat(reply.headers().get("cache-control")).anyMatch(v -> v.contains("no-store"));
    }

    @Test
    void shouldNarrowTheTokenToTheRequestedScopes() {
        Api.Reply reply = api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username",
                "admin", "password", APP.adminPassword(), "scope", "device:view"));

        String narrow = reply.assertStatus(200).json().path("access_token").asText();

        api.get("/api/v1/devices", narrow).assertStatus(200);
        api.post("/api/v1/device-types", narrow, "{\"name\":\"x\"}").assertError(403);
    }

    @Test
    void shouldRefuseScopesThatAreNotGranted() {
        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username", "admin", "password",
                APP.adminPassword(), "scope", "device:view launch:missiles")).assertError(400);
    }

    @Test
    void shouldRefuseWrongCredentialsAndBadGrants() {
        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username", "admin", "password",
                "wrong-password")).assertError(401);
        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username", "nobody", "password",
                "whatever1")).assertError(401);
        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "implicit")).assertError(400);
        api.form("/api/v1/oauth2/token", null, Map.of("username", "admin")).assertError(400);
        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username", "admin"))
                .assertError(400);
        api.post("/api/v1/oauth2/token", null, "{\"grant_type\":\"password\"}").assertError(415);
    }

    @Test
    void shouldIssueTokensToRegisteredClients() {
        JsonNode client = api.post("/api/v1/clients", admin, "{\"clientId\":\"dashboard\",\"roles\":[\"admin\"]}")
                .assertStatus(201).json();
        String secret = client.path("clientSecret").asText();
        assertThat(secret).isNotBlank();
        assertThat(api.get("/api/v1/clients", admin).body()).doesNotContain(secret);

        Api.Reply reply = api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "client_credentials",
                "client_id", "dashboard", "client_secret", secret, "scope", "device:view"));

        String token = reply.assertStatus(200).json().path("access_token").asText();
        api.get("/api/v1/devices", token).assertStatus(200);
        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "client_credentials", "client_id", "dashboard",
                "client_secret", "not-the-secret")).assertError(401);
        api.post("/api/v1/clients", admin, "{\"clientId\":\"dashboard\",\"roles\":[\"admin\"]}").assertError(409);
        api.delete("/api/v1/clients/dashboard", admin).assertStatus(204);
        api.get("/api/v1/devices", token).assertError(401);
    }

    @Test
    void shouldAnswer401WithoutAValidToken() {
        Api.Reply missing = api.get("/api/v1/devices", null).assertError(401);
        assertThat(missing.headers().get("www-authenticate")).anyMatch(v -> v.startsWith("Bearer"));
        api.get("/api/v1/devices", "not-a-token").assertError(401);
        api.get("/api/v1/devices", "x".repeat(5000)).assertError(401);
    }

    @Test
    void shouldAnswer401ForAnExpiredToken() throws Exception {
        String token = api.login("admin", APP.adminPassword());
        try (Connection c = DriverManager.getConnection(APP.jdbcUrl(), "postgres", "postgres");
                PreparedStatement s = c.prepareStatement(
                        "UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ?")) {
            s.setBytes(1, AccessTokens.sha256(token));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        api.get("/api/v1/devices", token).assertError(401);
    }

    @Test
    void shouldAnswer401ForARevokedToken() {
        String token = api.login("admin", APP.adminPassword());
        api.get("/api/v1/devices", token).assertStatus(200);

        api.form("/api/v1/oauth2/revoke", token, Map.of("token", token)).assertStatus(200);

        api.get("/api/v1/devices", token).assertError(401);
        api.form("/api/v1/oauth2/revoke", null, Map.of("token", token)).assertError(401);
    }

    @Test
    void shouldAnswer403ForAValidTokenWithoutTheScope() {
        api.post("/api/v1/roles", admin, "{\"name\":\"viewer\",\"scopes\":[\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"vera\",\"password\":\"vera-password\","
                + "\"roles\":[\"viewer\"]}").assertStatus(201);
        String vera = api.login("vera", "vera-password");

        api.get("/api/v1/devices", vera).assertStatus(200);
        for (String path : Set.of("/api/v1/users", "/api/v1/roles", "/api/v1/activities", "/api/v1/clients")) {
            api.get(path, vera).assertError(403);
        }
        api.post("/api/v1/devices", vera, "{\"name\":\"n\",\"type\":\"t\"}").assertError(403);
        api.post("/api/v1/device-types", vera, "{\"name\":\"t\"}").assertError(403);
        api.post("/api/v1/groups", vera, "{\"name\":\"g\"}").assertError(403);
        // A user may still revoke its own token without any scope.
        api.form("/api/v1/oauth2/revoke", vera, Map.of("token", vera)).assertStatus(200);
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsInJson() {
        api.get("/api/v1/nothing-here", admin).assertError(404);
        api.put("/api/v1/devices", admin, "{}").assertError(405);
        api.get("/api/v1/oauth2/token", null).assertError(405);
    }
}
