package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge rules end to end: the whole platform in one JVM (API, ingest's MQTT server, Kafka) and two real edge runtimes
 * as separate processes ({@code EdgeMain}, {@code -Xmx64m}, readings on their standard input). A rule stored through
 * the API and deployed to their group is acknowledged by both ({@code RUNNING} in the deployments), fires on their
 * readings into {@code GET /alerts}, and both runtimes' health reports show in {@code GET /edge-rules/runtimes}.
 */
class EdgeRulesEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOT = "@App:name('hot-edge')\n"
            + "define stream TelemetryStream (deviceId string, ts long, temperature double);\n"
            + "from TelemetryStream[temperature > 90.0]\n"
            + "select deviceId, ts, temperature, 'critical' as severity\n"
            + "insert into AlertStream;\n";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> runtimes = new ArrayList<>();
    private String api;
    private String admin;

    @TempDir
    Path dataDir;

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process p : runtimes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void shouldDeployARuleThroughTheApiToTwoEdgeRuntimesAndSeeTheirAlertsAndHealth() throws Exception {
        StandaloneConfig config = freePorts(dataDir.resolve("platform"));
        Files.createDirectories(dataDir.resolve("platform"));
        Platform platform = Platform.start(config);
        try {
            api = "http://127.0.0.1:" + config.httpPort() + "/api/v1";
            admin = adminToken(http, api,
                    Files.readString(dataDir.resolve("platform").resolve("initial-admin-password")).trim());
            call("POST", "/device-types", "application/json", "{\"name\":\"edge-box\"}", 201);
            call("POST", "/groups", "application/json", "{\"id\":\"edge-fleet\",\"name\":\"Edge fleet\"}", 201);
            Map<String, OutputStream> stdin = new LinkedHashMap<>();
            for (String id : List.of("edge-a", "edge-b")) {
                String token = call("POST", "/devices", "application/json", "{\"id\":\"" + id + "\",\"name\":\"" + id
                        + "\",\"type\":\"edge-box\",\"groups\":[\"edge-fleet\"]}", 201).path("token").asText();
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m", "-cp", System.getProperty("java.class.path"), "io.streamthings.edge.EdgeMain",
                        "--server", "tcp://127.0.0.1:" + config.mqttPort(), "--device-id", id, "--tenant", "default",
                        "--token", token, "--data-dir", dataDir.resolve(id).toString(), "--health-interval-ms", "1000")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(id + ".log").toFile()))
                        .start();
                runtimes.add(p);
                stdin.put(id, p.getOutputStream());
            }

            assertThat(call("POST", "/edge-rules", "text/plain", HOT, 201).path("version").asLong()).isEqualTo(1);
            JsonNode deployed = call("POST", "/edge-rules/hot-edge/deployments", "application/json",
                    "{\"groups\":[\"edge-fleet\"]}", 202);
            assertThat(deployed.path("operations").size()).isEqualTo(2);

            await().atMost(WAIT).until(() -> {
                JsonNode d = call("GET", "/edge-rules/hot-edge/deployments", null, null, 200);
                int running = 0;
                for (JsonNode n : d) {
                    running += n.path("state").asText().equals("RUNNING") ? 1 : 0;
                }
                return running == 2;
            });

            for (Map.Entry<String, OutputStream> e : stdin.entrySet()) {
                feed(e.getValue(), "{\"ts\":" + System.currentTimeMillis() + ",\"metrics\":{\"temperature\":21.0}}");
                feed(e.getValue(), "{\"ts\":" + System.currentTimeMillis() + ",\"metrics\":{\"temperature\":95.5}}");
            }
            for (String id : stdin.keySet()) {
                await().atMost(WAIT).until(() -> call("GET", "/alerts?deviceId=" + id, null, null, 200)
                        .path("items").toString().contains("hot-edge"));
                JsonNode items = call("GET", "/alerts?deviceId=" + id, null, null, 200).path("items");
                assertThat(items.toString()).contains("hot-edge").contains("95.5");
            }

            await().atMost(WAIT).until(() -> {
                JsonNode r = call("GET", "/edge-rules/runtimes", null, null, 200);
                int fresh = 0;
                for (JsonNode n : r) {
                    JsonNode rules = n.path("report").path("rules");
                    fresh += !n.path("stale").asBoolean() && rules.size() == 1
                            && rules.get(0).path("version").asLong() == 1
                            && rules.get(0).path("eventsIn").asLong() >= 2 ? 1 : 0;
                }
                return fresh == 2;
            });
        } finally {
            platform.close();
        }
    }

    private static void feed(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private JsonNode call(String method, String path, String contentType, String body, int expected)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + admin);
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }
}
