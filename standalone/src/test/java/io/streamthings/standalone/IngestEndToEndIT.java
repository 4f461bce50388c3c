package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.field;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of {@code ./start.sh} does: get an admin token, create a device type, enroll a device through the API,
 * then publish telemetry over MQTT (Paho, and Debian's mosquitto_pub) and over HTTP, and find it in
 * {@code telemetry.raw}, stamped with the device's tenant and type; the device's lastSeen follows. Then a rule
 * deployed through the API fires on a hot reading, and the alert is in the API and in InfluxDB.
 */
class IngestEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void shouldCarryTelemetryOfAnEnrolledDeviceFromMqttAndHttpIntoKafka() throws Exception {
        StandaloneConfig config = freePorts(dataDir);
        try (Platform platform = Platform.start(config)) {
            String api = "http://127.0.0.1:" + config.httpPort() + "/api/v1";
            String admin = adminToken(http, api, Files.readString(dataDir.resolve("initial-admin-password")).trim());

            HttpResponse<String> type = send(HttpRequest.newBuilder(URI.create(api + "/device-types"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"thermometer\",\"metrics\":[{\"name\":"
                            + "\"temperature\",\"unit\":\"C\",\"type\":\"number\"}],\"transports\":[\"mqtt\",\"http\"]}"))
                    .build());
            assertThat(type.statusCode()).isEqualTo(201);
            HttpResponse<String> enrolled = send(HttpRequest.newBuilder(URI.create(api + "/devices"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"id\":\"e2e-1\",\"name\":\"E2E sensor\",\"type\":\"thermometer\"}"))
                    .build());
            assertThat(enrolled.statusCode()).isEqualTo(201);
            String token = field(enrolled.body(), "token");

            // The credential travels registry -> outbox -> device.credentials -> ingest's directory: wait for it.
            MqttClient device = new MqttClient("tcp://127.0.0.1:" + config.mqttPort(), "e2e-1-client",
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("e2e-1");
            options.setPassword(token.toCharArray());
            await().atMost(WAIT).ignoreExceptionsInstanceOf(MqttException.class).until(() -> {
                device.connect(options);
                return true;
            });
            MqttMessage message = new MqttMessage(("{\"ts\":" + System.currentTimeMillis()
                    + ",\"metrics\":{\"temperature\":21.5}}").getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            device.publish("devices/e2e-1/telemetry", message);
            device.disconnect();

            // -i: the embedded Moquette refuses the empty client id mosquitto_pub 2.0 sends without one.
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                    String.valueOf(config.mqttPort()), "-i", "e2e-1-cli", "-u", "e2e-1", "-P", token, "-q", "1",
                    "-t", "devices/e2e-1/telemetry", "-m", "{\"metrics\":{\"temperature\":22.5}}")
                    .redirectErrorStream(true).start();
            assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pub.exitValue()).as(output).isZero();

            HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(api + "/ingest/telemetry"))
                    .header("Authorization", "Bearer e2e-1:" + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"metrics\":{\"temperature\":23.5}},"
                            + "{\"metrics\":{\"temperature\":\"hot\"}}]"))
                    .build());
            assertThat(posted.statusCode()).isEqualTo(202);
            assertThat(posted.body()).startsWith("{\"accepted\":1,\"rejected\":[{\"index\":1,");
            HttpResponse<String> unauthorized = send(HttpRequest.newBuilder(URI.create(api + "/ingest/telemetry"))
                    .header("Authorization", "Bearer e2e-1:not-the-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"metrics\":{\"temperature\":0}}")).build());
            assertThat(unauthorized.statusCode()).isEqualTo(401);

            await().atMost(WAIT).until(() -> telemetry(platform.kafka().bootstrapServers()).size() >= 3);
            List<StampedTelemetry> records = telemetry(platform.kafka().bootstrapServers());
            assertThat(records).extracting(r -> r.record().metrics().get("temperature"))
                    .containsExactlyInAnyOrder(21.5, 22.5, 23.5);
            assertThat(records).allSatisfy(r -> {
                assertThat(r.deviceId()).isEqualTo("e2e-1");
                assertThat(r.deviceType()).isEqualTo("thermometer");
                assertThat(r.key()).isEqualTo(r.tenant() + "/e2e-1");
            });

            await().atMost(WAIT).until(() -> !send(HttpRequest.newBuilder(URI.create(api + "/devices/e2e-1"))
                    .header("Authorization", "Bearer " + admin).build()).body().contains("\"lastSeen\":null"));

            // A rule deployed through the API fires on the next hot reading: the alert is in the API and InfluxDB.
            String rule = """
                    @App:name('e2e-hot')
                    define stream TelemetryStream (deviceId string, ts long, temperature double);
                    from TelemetryStream[temperature > 30.0]
                    select deviceId, ts, temperature, 'major' as severity, 'hot sensor' as message
                    insert into AlertStream;
                    """;
            HttpResponse<String> deployed = send(HttpRequest.newBuilder(URI.create(api + "/rules"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(rule)).build());
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
            await().atMost(WAIT).until(() -> send(HttpRequest.newBuilder(URI.create(api + "/rules/e2e-hot"))
                    .header("Authorization", "Bearer " + admin).build()).body().contains("\"state\":\"RUNNING\""));
            HttpResponse<String> hot = send(HttpRequest.newBuilder(URI.create(api + "/ingest/telemetry"))
                    .header("Authorization", "Bearer e2e-1:" + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"metrics\":{\"temperature\":35.5}}")).build());
            assertThat(hot.statusCode()).isEqualTo(202);
            await().atMost(WAIT).until(() -> send(HttpRequest.newBuilder(URI.create(api + "/alerts?rule=e2e-hot"))
                    .header("Authorization", "Bearer " + admin).build()).body().contains("\"deviceId\":\"e2e-1\""));
            String alerts = send(HttpRequest.newBuilder(URI.create(api + "/alerts?rule=e2e-hot"))
                    .header("Authorization", "Bearer " + admin).build()).body();
            assertThat(alerts).contains("\"severity\":\"major\"").contains("\"temperature\":35.5")
                    .contains("\"status\":\"OPEN\"");
            await().atMost(WAIT).until(() -> platform.influx()
                    .query("SELECT temperature FROM " + Platform.DATABASE + "..alerts WHERE rule = 'e2e-hot'")
                    .contains("35.5"));
        }
    }

    private static List<StampedTelemetry> telemetry(String bootstrap) {
        TelemetryCodec codec = new TelemetryCodec();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.TELEMETRY_RAW.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.TELEMETRY_RAW.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<StampedTelemetry> records = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(codec.decodeStamped(r.value())));
            }
            return records;
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
