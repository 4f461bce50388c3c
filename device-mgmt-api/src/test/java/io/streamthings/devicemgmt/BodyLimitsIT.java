package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request bodies are bounded before they are parsed: 413 in JSON, with or without a declared length. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BodyLimitsIT {

    private static final AppUnderTest APP = AppUnderTest.create("body_limits_it",
            ConfigOverride.config("limits.maxBodyBytes", "4096"));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"probe\"}").assertStatus(201);
    }

    /** A body sent without Content-Length (chunked), as a streaming client sends it. */
    private static Api.Reply postChunked(String path, String contentType, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXT.getLocalPort() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new Api.Reply(r.statusCode(), r.body(), r.headers().map());
    }

    private static String devices(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"id\":\"" + prefix + i + "\",\"name\":\"Probe number " + i + "\",\"type\":\"probe\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void shouldRefuseAJsonBodyOverTheBoundWith413() {
        String name = "n".repeat(10_000);

        Api.Reply reply = api.post("/api/v1/devices", admin, "{\"name\":\"" + name + "\",\"type\":\"probe\"}");

        reply.assertError(413);
        assertThat(reply.json().path("message").asText()).contains("4096");
    }

    @Test
    void shouldRefuseAChunkedBulkEnrollmentOverTheBoundWith413() throws Exception {
        String bulk = devices("big-", 200);
        assertThat(bulk.length()).isGreaterThan(4096);

        postChunked("/api/v1/devices/bulk", "application/json", bulk).assertError(413);
        postChunked("/api/v1/devices/bulk", "text/csv", "id,name,type\n" + "x,y,probe\n".repeat(500))
                .assertError(413);

        api.get("/api/v1/devices/big-0", admin).assertError(404);
    }

    @Test
    void shouldRefuseARuleOverTheBoundWith413() throws Exception {
        String rule = "@App:name('big')\n" + "-- padding\n".repeat(1_000);

        api.post("/api/v1/rules", admin, "text/plain", rule).assertError(413);
        postChunked("/api/v1/rules/validate", "text/plain", rule).assertError(413);
    }

    @Test
    void shouldStillAcceptBodiesWithinTheBound() throws Exception {
        api.post("/api/v1/devices", admin, "{\"id\":\"small\",\"name\":\"Small\",\"type\":\"probe\"}")
                .assertStatus(201);
        Api.Reply bulk = postChunked("/api/v1/devices/bulk", "application/json", devices("ok-", 3));
        assertThat(bulk.status()).as(bulk.body()).isBetween(200, 299);
        assertThat(new ObjectMapper().readTree(bulk.body()).toString()).contains("ok-2");
    }
}
