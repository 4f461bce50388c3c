package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.auth.AccessTokens;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live stream checks its caller again while it runs: it ends once the token is revoked or expires or the device is
 * no longer shared with the caller; and one caller holds only so many streams at once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamAccessIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AppUnderTest APP = AppUnderTest.create("stream_access_it",
            ConfigOverride.config("stream.recheckMs", "100"),
            ConfigOverride.config("stream.maxStreamsPerCaller", "2"),
            // Expiry written straight into the database must not wait for the token cache.
            ConfigOverride.config("auth.tokenCacheMs", "0"));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"meter\"}").assertStatus(201);
        api.post("/api/v1/devices", admin, "{\"id\":\"m-1\",\"name\":\"m\",\"type\":\"meter\"}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"watchers\",\"scopes\":[\"analytics:view\",\"device:view\"]}")
                .assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"sue\",\"password\":\"sue-password\","
                + "\"roles\":[\"watchers\"]}").assertStatus(201);
        api.post("/api/v1/groups", admin, "{\"id\":\"meters\",\"name\":\"Meters\"}").assertStatus(201);
        api.post("/api/v1/groups/meters/devices/m-1", admin, "").assertStatus(200);
    }

    /** An open stream and the lines read from it so far; {@code ended} completes when the server closes it. */
    private record OpenStream(HttpResponse<Stream<String>> response, List<String> lines, CompletableFuture<Void> ended)
            implements AutoCloseable {

        @Override
        public void close() {
            response.body().close();
            ended.cancel(true);
        }
    }

    private static HttpResponse<Stream<String>> request(String query, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXT.getLocalPort()
                        + "/api/v1/stream" + query))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    }

    private static OpenStream open(String query, String token) throws Exception {
        HttpResponse<Stream<String>> response = request(query, token);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            } catch (UncheckedIOException e) {
                // closed by the test
            }
        });
        OpenStream stream = new OpenStream(response, lines, ended);
        await().atMost(WAIT).until(() -> lines.contains(": connected"));
        return stream;
    }

    @Test
    void shouldEndTheStreamWhenItsTokenIsRevoked() throws Exception {
        String token = api.login("admin", APP.adminPassword());
        try (OpenStream stream = open("", token)) {
            assertThat(stream.ended()).isNotDone();

            api.form("/api/v1/oauth2/revoke", token, Map.of("token", token)).assertStatus(200);

            stream.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldEndTheStreamWhenItsTokenExpires() throws Exception {
        String token = api.login("sue", "sue-password");
        api.put("/api/v1/groups/meters/roles", admin, "{\"roles\":[\"watchers\"]}").assertStatus(200);
        try (OpenStream stream = open("?deviceId=m-1", token)) {
            try (Connection c = DriverManager.getConnection(APP.jdbcUrl(), "postgres", "postgres");
                    PreparedStatement s = c.prepareStatement(
                            "UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ?")) {
                s.setBytes(1, AccessTokens.sha256(token));
                assertThat(s.executeUpdate()).isEqualTo(1);
            }

            stream.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldEndTheStreamWhenTheDeviceIsNoLongerSharedWithTheCaller() throws Exception {
        api.put("/api/v1/groups/meters/roles", admin, "{\"roles\":[\"watchers\"]}").assertStatus(200);
        String sue = api.login("sue", "sue-password");
        try (OpenStream stream = open("?deviceId=m-1", sue)) {
            assertThat(stream.ended()).isNotDone();

            api.put("/api/v1/groups/meters/roles", admin, "{\"roles\":[]}").assertStatus(200);

            stream.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            api.get("/api/v1/stream?deviceId=m-1", sue).assertError(404);
        }
    }

    @Test
    void shouldRefuseAStreamBeyondTheCapPerCaller() throws Exception {
        api.post("/api/v1/users", admin, "{\"username\":\"cap\",\"password\":\"cap-password\","
                + "\"roles\":[\"admin\"]}").assertStatus(201);
        String cap = api.login("cap", "cap-password");
        try (OpenStream first = open("", cap); OpenStream second = open("", cap)) {
            HttpResponse<Stream<String>> third = request("", cap);
            String body;
            try (Stream<String> lines = third.body()) {
                body = String.join("\n", lines.toList());
            }

            assertThat(third.statusCode()).as(body).isEqualTo(429);
            assertThat(body).contains("\"code\":429");
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
        }
    }
}
