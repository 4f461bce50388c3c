package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.field;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants, each with a device of the same id and a rule of the same shape: through HTTP ingest, the query API
 * (series and latest values), the live stream and alerts, neither sees the other's data. (MQTT identity across tenants
 * is covered with the MQTT adapter.)
 */
class TenantIsolationIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String DEVICE = "shared-1";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    private String api;

    @Test
    void shouldKeepTwoTenantsDevicesOfOneIdApartOnEveryPath() throws Exception {
        StandaloneConfig config = freePorts(dataDir);
        try (Platform platform = Platform.start(config)) {
            api = "http://127.0.0.1:" + config.httpPort() + "/api/v1";
            String admin = adminToken(http, api, Files.readString(dataDir.resolve("initial-admin-password")).trim());
            assertThat(post("/users", admin, "application/json", "{\"username\":\"acme-admin\",\"password\":"
                    + "\"acme-password\",\"roles\":[\"admin\"],\"tenant\":\"acme\"}").statusCode()).isEqualTo(201);
            String acme = login("acme-admin", "acme-password");

            String defaultToken = enrollWithRule(admin);
            String acmeToken = enrollWithRule(acme);
            List<String> defaultStream = stream(admin);
            List<String> acmeStream = stream(acme);

            // Ingest tries the device of this id in each tenant and the token decides which one is sending: the same
            // id with each tenant's token lands in that tenant. Credentials reach ingest through Kafka: retry until
            // the device is known there.
            await().atMost(WAIT).until(() -> ingest(DEVICE + ":" + defaultToken, 41.5).statusCode() == 202);
            await().atMost(WAIT).until(() -> ingest(DEVICE + ":" + acmeToken, 77.25).statusCode() == 202);
            assertThat(ingest(DEVICE + ":not-either-token", 1.0).statusCode()).isEqualTo(401);

            await().atMost(WAIT).until(() -> get("/alerts?deviceId=" + DEVICE, admin).contains("41.5")
                    && get("/alerts?deviceId=" + DEVICE, acme).contains("77.25"));
            await().atMost(WAIT).until(() -> get("/analytics/latest?deviceId=" + DEVICE, admin).contains("41.5")
                    && get("/analytics/latest?deviceId=" + DEVICE, acme).contains("77.25"));
            String series = "/analytics/telemetry?deviceId=" + DEVICE + "&metric=temperature&from=-1h&to=now";
            await().atMost(WAIT).until(() -> get(series, admin).contains("41.5") && get(series, acme).contains("77.25"));
            await().atMost(WAIT).until(() -> String.join("\n", defaultStream).contains("41.5")
                    && String.join("\n", acmeStream).contains("77.25"));

            assertThat(get("/alerts?deviceId=" + DEVICE, admin)).doesNotContain("77.25").doesNotContain("acme");
            assertThat(get("/alerts?deviceId=" + DEVICE, acme)).doesNotContain("41.5").doesNotContain("\"default\"");
            assertThat(get("/alerts", admin)).doesNotContain("77.25");
            assertThat(get("/alerts", acme)).doesNotContain("41.5");
            assertThat(get("/analytics/latest?deviceId=" + DEVICE, admin)).doesNotContain("77.25");
            assertThat(get("/analytics/latest?deviceId=" + DEVICE, acme)).doesNotContain("41.5");
            assertThat(get(series, admin)).doesNotContain("77.25");
            assertThat(get(series, acme)).doesNotContain("41.5");
            assertThat(String.join("\n", defaultStream)).doesNotContain("77.25").doesNotContain("\"acme\"");
            assertThat(String.join("\n", acmeStream)).doesNotContain("41.5").doesNotContain("\"default\"");
            assertThat(get("/devices/" + DEVICE, acme)).contains("\"type\":\"thermo-acme\"");
        }
    }

    /** The tenant's device type, device and rule; returns the device token. */
    private String enrollWithRule(String token) throws Exception {
        String tenantType = get("/users", token).contains("acme-admin") ? "thermo-acme" : "thermo";
        assertThat(post("/device-types", token, "application/json", "{\"name\":\"" + tenantType + "\",\"metrics\":"
                + "[{\"name\":\"temperature\",\"unit\":\"C\",\"type\":\"number\"}],\"transports\":[\"http\"]}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> enrolled = post("/devices", token, "application/json",
                "{\"id\":\"" + DEVICE + "\",\"name\":\"Shared id\",\"type\":\"" + tenantType + "\"}");
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
        String rule = """
                @App:name('hot')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream[temperature > 30.0]
                select deviceId, ts, temperature, 'major' as severity, 'hot' as message
                insert into AlertStream;
                """;
        HttpResponse<String> deployed = post("/rules", token, "text/plain", rule);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        await().atMost(WAIT).until(() -> get("/rules/hot", token).contains("\"state\":\"RUNNING\""));
        return field(enrolled.body(), "token");
    }

    private List<String> stream(String token) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(api + "/stream?deviceId="
                + DEVICE)).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture.runAsync(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            } catch (UncheckedIOException e) {
                // the platform stopped
            }
        });
        await().atMost(WAIT).until(() -> lines.contains(": connected"));
        return lines;
    }

    private HttpResponse<String> ingest(String credentials, double temperature) throws Exception {
        return post("/ingest/telemetry", credentials, "application/json",
                "{\"metrics\":{\"temperature\":" + temperature + "}}");
    }

    private String login(String username, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + username + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return field(r.body(), "access_token");
    }

    private String get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> post(String path, String token, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
