package io.streamthings.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.Ports;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone platform as a user runs it: every part starts for real, the health checks report each dependency,
 * a stop leaves no influxd behind, and a second start finds the data of the first.
 */
class PlatformIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void shouldStartHealthyStopCleanlyAndKeepItsDataAcrossARestart() throws Exception {
        StandaloneConfig config = freePorts(dataDir);
        long influxPid;
        String adminPassword;
        try (Platform platform = Platform.start(config)) {
            influxPid = platform.influx().pid();
            String health = awaitHealthy(config);
            assertThat(health).contains("\"kafka\"", "\"mqtt\"", "\"postgres\"", "\"influxdb\"");

            try (Admin admin = platform.kafka().admin()) {
                assertThat(admin.listTopics().names().get())
                        .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
            }
            assertThat(platform.influx().query("SHOW DATABASES")).contains(Platform.DATABASE);

            Path passwordFile = config.dataDir().resolve("initial-admin-password");
            assertThat(passwordFile).exists();
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            adminPassword = Files.readString(passwordFile).trim();
            assertThat(token(config, adminPassword).statusCode()).isEqualTo(200);
            assertThat(platform.urls()).containsKeys("REST API", "MQTT broker", "Health checks");
        }
        assertThat(ProcessHandle.of(influxPid).map(ProcessHandle::isAlive).orElse(false))
                .as("influxd is stopped with the platform").isFalse();
        assertThat(Ports.isFree(config.httpPort())).isTrue();

        try (Platform platform = Platform.start(config)) {
            awaitHealthy(config);
            // The admin created at the first start is still in PostgreSQL, with the same password.
            assertThat(Files.readString(config.dataDir().resolve("initial-admin-password")).trim())
                    .isEqualTo(adminPassword);
            assertThat(token(config, adminPassword).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseClearlyWhenAPortIsTaken() throws Exception {
        StandaloneConfig free = freePorts(dataDir);
        try (ServerSocket taken = new ServerSocket(free.mqttPort())) {
            assertThatThrownBy(() -> Platform.start(free))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("MQTT broker cannot start: port " + free.mqttPort()
                            + " is already in use (is another StreamThings or MQTT broker running? stop it, or choose"
                            + " another port in the configuration)");
        }
    }

    private String awaitHealthy(StandaloneConfig config) {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + config.adminPort() + "/healthcheck")).build();
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                body[0] = response.body();
                return response.statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return body[0];
    }

    private HttpResponse<String> token(StandaloneConfig config, String password) throws Exception {
        String form = "grant_type=password&username=admin&password=" + URLEncoder.encode(password,
                StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + config.httpPort() + "/api/v1/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static StandaloneConfig freePorts(Path dataDir) {
        Set<Integer> ports = new java.util.LinkedHashSet<>();
        while (ports.size() < 6) {
            ports.add(Ports.free());
        }
        var it = ports.iterator();
        return new StandaloneConfig(dataDir, "127.0.0.1", it.next(), it.next(), it.next(), it.next(), it.next(),
                it.next());
    }
}
