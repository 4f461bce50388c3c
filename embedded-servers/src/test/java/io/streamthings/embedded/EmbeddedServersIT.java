package io.streamthings.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.kafka.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each embedded server starts for real, keeps its data across a restart, and refuses a taken port clearly. */
class EmbeddedServersIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepKafkaTopicsAndRecordsAcrossRestart() throws Exception {
        Path logDir = dataDir.resolve("kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
            kafka.createTopics(Topics.ALL);
            kafka.createTopics(Topics.ALL); // idempotent
            try (Admin admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get()).containsAll(
                        Topics.ALL.stream().map(t -> t.name()).toList());
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEVICE_CREDENTIALS.name());
                ConfigEntry policy = admin.describeConfigs(List.of(resource)).all().get()
                        .get(resource).get("cleanup.policy");
                assertThat(policy.value()).isEqualTo("compact");
                assertThat(admin.describeTopics(List.of(Topics.TELEMETRY_RAW.name())).allTopicNames().get()
                        .get(Topics.TELEMETRY_RAW.name()).partitions()).hasSize(Topics.TELEMETRY_RAW.partitions());
            }
            try (var producer = producer(kafka.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), "acme/dev-1", "hello")).get();
            }
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
            assertThat(readAll(kafka.bootstrapServers(), Topics.TELEMETRY_RAW.name(), 1))
                    .containsExactly("hello");
        }
    }

    @Test
    void shouldKeepPostgresDataAcrossRestart() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(pgDir, 0)) {
            pg.createDatabase("streamthings");
            pg.createDatabase("streamthings");
            try (var c = DriverManager.getConnection(pg.jdbcUrl("streamthings"), "postgres", "postgres");
                    var s = c.createStatement()) {
                s.execute("CREATE TABLE note (text varchar(20))");
                s.execute("INSERT INTO note VALUES ('kept')");
            }
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(pgDir, 0);
                var c = DriverManager.getConnection(pg.jdbcUrl("streamthings"), "postgres", "postgres");
                var s = c.createStatement();
                var rows = s.executeQuery("SELECT text FROM note")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("kept");
        }
    }

    @Test
    void shouldTakeOverAPostgresDataDirectoryLeftRunningByAKilledLauncher() throws Exception {
        Path pgDir = dataDir.resolve("postgres-crash");
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AbandonedPostgres.class.getName(), pgDir.toString())
                .redirectErrorStream(true).start();
        int port;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(launcher.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
                // skip the child's log lines
            }
            assertThat(line).as("the child JVM started PostgreSQL").isNotNull();
            port = Integer.parseInt(line.substring("READY ".length()).trim());
            launcher.destroyForcibly().waitFor(); // kill -9: no shutdown hook runs, PostgreSQL stays up
        }
        long stalePid = Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(stalePid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(pgDir, port);
                var c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "postgres");
                var s = c.createStatement();
                var rows = s.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(ProcessHandle.of(stalePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void shouldKeepInfluxDataAcrossRestartAndStopTheProcess() throws Exception {
        Path influxDir = dataDir.resolve("influxdb");
        long pid;
        try (InfluxServer influx = InfluxServer.start(influxDir, 0)) {
            pid = influx.pid();
            influx.createDatabase("streamthings");
            var http = java.net.http.HttpClient.newHttpClient();
            var write = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(influx.url() + "/write?db=streamthings&precision=ms"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "telemetry,deviceId=dev-1 temperature=21.5 1764131000123"))
                    .build();
            assertThat(http.send(write, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(204);
            assertThat(Files.readString(influxDir.resolve("influxdb.conf"))).contains("reporting-disabled = true")
                    .contains("bind-address = \"127.0.0.1:");
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        try (InfluxServer influx = InfluxServer.start(influxDir, 0)) {
            assertThat(influx.query("SELECT temperature FROM streamthings..telemetry")).contains("21.5");
        }
    }

    @Test
    void shouldRefuseAnonymousMqttClientsByDefault() throws Exception {
        try (MqttBroker broker = MqttBroker.start("127.0.0.1", 0, dataDir.resolve("mqtt"), MqttAccess.denyAll(),
                List.of())) {
            MqttClient client = new MqttClient(broker.uri(), "probe", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("dev-1");
            options.setPassword("wrong".toCharArray());
            assertThatThrownBy(() -> client.connect(options))
                    .isInstanceOf(MqttException.class)
                    .satisfies(e -> assertThat(((MqttException) e).getReasonCode())
                            .isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION,
                                    (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
            client.close();
        }
    }

    @Test
    void shouldRefuseATakenPortWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir.resolve("pg2"), taken.getLocalPort()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("PostgreSQL cannot start: port " + taken.getLocalPort() + " is already in use");
            assertThatThrownBy(() -> InfluxServer.start(dataDir.resolve("influx2"), taken.getLocalPort()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("InfluxDB");
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(r.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
