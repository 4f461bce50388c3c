package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With Kafka unreachable the API keeps answering; the records wait in the outbox. */
@ExtendWith(DropwizardExtensionsSupport.class)
class KafkaDownIT {

    private static final Path PASSWORD_FILE = tempFile();
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = new DropwizardAppExtension<>(
            DeviceMgmtApplication.class, ResourceHelpers.resourceFilePath("test-config.yml"),
            ConfigOverride.config("database.url", TestServers.get().newDatabase("kafka_down_it")),
            ConfigOverride.config("database.user", "postgres"),
            ConfigOverride.config("database.password", "postgres"),
            ConfigOverride.config("kafka.bootstrapServers", "127.0.0.1:" + deadPort()),
            ConfigOverride.config("kafka.maxBlockMs", "1000"),
            ConfigOverride.config("auth.adminPasswordFile", PASSWORD_FILE.toString()));

    @Test
    void shouldEnrollWithoutWaitingForKafkaAndKeepTheRecordsForLater() throws Exception {
        Api api = new Api("http://127.0.0.1:" + EXT.getLocalPort());
        String password = System.getenv("STREAMTHINGS_ADMIN_PASSWORD") != null
                ? System.getenv("STREAMTHINGS_ADMIN_PASSWORD") : Files.readString(PASSWORD_FILE).trim();
        String admin = api.login("admin", password);
        api.post("/api/v1/device-types", admin, "{\"name\":\"sensor\"}").assertStatus(201);

        long start = System.nanoTime();
        api.post("/api/v1/devices", admin, "{\"id\":\"offline-1\",\"name\":\"o\",\"type\":\"sensor\"}")
                .assertStatus(201);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(5_000);
        assertThat(((DeviceMgmtApplication) EXT.getApplication()).outboxPublisher().pending()).isEqualTo(2);
        Api.Reply health = new Api("http://127.0.0.1:" + EXT.getAdminPort()).get("/healthcheck", null);
        assertThat(health.json().path("kafka").path("healthy").asBoolean()).isFalse();
        assertThat(health.json().path("postgres").path("healthy").asBoolean()).isTrue();
    }

    private static int deadPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempDirectory("kafka-down-it").resolve("initial-admin-password");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
