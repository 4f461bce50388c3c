package io.streamthings.embedded.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.device.DeviceCredentialCodec;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's servers are up for the class, and its helpers talk to them. */
class TestKitIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(List.of(Topics.DEVICE_CREDENTIALS));

    @RegisterExtension
    static final InfluxExtension INFLUX = new InfluxExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void shouldReadTheCredentialsPublishedToTheEndOfTheirTopic() {
        try (Credentials credentials = KAFKA.credentials()) {
            credentials.enroll("acme", "d-1", "thermo");
            credentials.status("acme", "d-1", DeviceStatus.BLOCKED);
            credentials.delete("acme", "d-1");
        }

        var records = KAFKA.reader().readAll(Topics.DEVICE_CREDENTIALS.name());

        assertThat(records).extracting(r -> r.key()).containsOnly(Topics.deviceKey("acme", "d-1")).hasSize(3);
        assertThat(DeviceCredentialCodec.decode(records.get(0).value()).status()).isEqualTo(DeviceStatus.ACTIVE);
        assertThat(DeviceCredentialCodec.decode(records.get(1).value()).status()).isEqualTo(DeviceStatus.BLOCKED);
        assertThat(records.get(2).value()).isNull();
        assertThat(KAFKA.reader().readCommitted(Topics.DEVICE_CREDENTIALS.name())).hasSize(3);
    }

    @Test
    void shouldAnswerInfluxQlOnTheInfluxServer() {
        INFLUX.server().createDatabase("kit");

        assertThat(INFLUX.server().query("SHOW DATABASES")).contains("kit");
    }

    @Test
    void shouldConnectToANewDatabaseOnThePostgresServer() throws Exception {
        String url = POSTGRES.database("kit");

        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "postgres");
                ResultSet r = c.createStatement().executeQuery("SELECT current_database()")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("kit");
        }
    }
}
