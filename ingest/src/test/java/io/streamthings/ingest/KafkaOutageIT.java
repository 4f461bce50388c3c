package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.testkit.Credentials;
import io.streamthings.embedded.testkit.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka stopped and started again (a new broker on the same log directory and port) while devices keep publishing
 * over MQTT and HTTP: HTTP answers 503 with Retry-After meanwhile, and afterwards every record that was acknowledged
 * (PUBACK on MQTT, 202 on HTTP) is in {@code telemetry.raw} at least as many times as it was acknowledged.
 */
class KafkaOutageIT {

    private static final int MQTT_DEVICES = 4;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final Set<Integer> httpStatuses = ConcurrentHashMap.newKeySet();
    private final AtomicInteger retryAfterSeen = new AtomicInteger();

    @Test
    void shouldHaveEveryAcknowledgedRecordInKafkaAfterKafkaRestarts() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        kafka.createTopics(Topics.ALL);
        String bootstrap = kafka.bootstrapServers();
        int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        DropwizardTestSupport<IngestConfiguration> app = new DropwizardTestSupport<>(IngestApplication.class,
                ResourceHelpers.resourceFilePath("ingest-test.yml"),
                ConfigOverride.config("ingest.kafka.bootstrapServers", bootstrap),
                ConfigOverride.config("ingest.mqtt.enabled", "true"),
                ConfigOverride.config("ingest.mqtt.mode", "server"),
                ConfigOverride.config("ingest.mqtt.bindHost", "127.0.0.1"),
                ConfigOverride.config("ingest.mqtt.port", "0"),
                ConfigOverride.config("ingest.http.ackTimeoutMs", "2000"),
                ConfigOverride.config("ingest.http.retryAfterSeconds", "3"),
                ConfigOverride.config("ingest.limits.maxInFlightRecords", "2000"),
                ConfigOverride.config("ingest.rateLimit.enabled", "false"));
        Credentials credentials = new Credentials(bootstrap);
        List<Thread> publishers = new ArrayList<>();
        try {
            app.before();
            IngestService ingest = app.<IngestApplication>getApplication().service();
            String mqttUri = "tcp://127.0.0.1:" + ingest.mqttServer().port();
            Map<String, String> tokens = new java.util.HashMap<>();
            for (int i = 0; i < MQTT_DEVICES; i++) {
                tokens.put("out-" + i, credentials.enroll("acme", "out-" + i, "thermostat"));
            }
            tokens.put("out-http", credentials.enroll("acme", "out-http", "thermostat"));
            await().atMost(Duration.ofSeconds(30)).until(() -> tokens.entrySet().stream()
                    .allMatch(t -> ingest.directory().authenticate(t.getKey(), t.getValue()).admitted()));

            for (int i = 0; i < MQTT_DEVICES; i++) {
                String id = "out-" + i;
                publishers.add(start(() -> publishMqtt(mqttUri, id, tokens.get(id))));
            }
            publishers.add(start(() -> publishHttp(app.getLocalPort(), "out-http", tokens.get("out-http"))));

            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() > 200);
            kafka.close();
            // The MQTT server acknowledges nothing meanwhile: its PUBACKs wait for Kafka.
            await().atMost(Duration.ofSeconds(30)).until(() -> httpStatuses.contains(503));
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
            int afterRestart = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() > afterRestart + 200);
        } finally {
            publishing.set(false);
            for (Thread t : publishers) {
                t.join(10_000);
            }
        }
        try {
            TopicReader reader = new TopicReader(kafka.bootstrapServers());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> missing(reader.telemetry()).isEmpty());
            Map<String, Long> counts = reader.telemetry().stream().collect(Collectors.groupingBy(
                    KafkaOutageIT::id, Collectors.counting()));
            assertThat(acknowledged).allSatisfy((id, times) -> assertThat(counts.getOrDefault(id, 0L))
                    .as(id).isGreaterThanOrEqualTo(times.get()));
            assertThat(httpStatuses).contains(202, 503);
            assertThat(retryAfterSeen.get()).isPositive();
            assertThat(acknowledged.keySet().stream().filter(id -> id.startsWith("out-http"))).isNotEmpty();
            assertThat(acknowledged.keySet().stream().filter(id -> id.startsWith("out-0"))).isNotEmpty();
        } finally {
            app.after();
            credentials.close();
            kafka.close();
        }
    }

    private Set<String> missing(List<StampedTelemetry> inKafka) {
        Set<String> found = inKafka.stream().map(KafkaOutageIT::id).collect(Collectors.toSet());
        return acknowledged.keySet().stream().filter(id -> !found.contains(id)).collect(Collectors.toSet());
    }

    private static String id(StampedTelemetry t) {
        return t.deviceId() + "#" + t.record().metrics().get("seq").longValue();
    }

    private void publishMqtt(String uri, String deviceId, String token) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(uri, deviceId + "-pub", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(deviceId + "@acme");
            options.setPassword(token.toCharArray());
            options.setMaxInflight(50);
            // The server closes a connection whose message Kafka refused, so that the device sends it again.
            options.setAutomaticReconnect(true);
            options.setMaxReconnectDelay(1_000);
            client.connect(options).waitForCompletion(10_000);
            long seq = 0;
            while (publishing.get()) {
                long n = seq++;
                MqttMessage message = new MqttMessage(record(n).getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                try {
                    client.publish("devices/" + deviceId + "/telemetry", message, null, new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            acknowledged.computeIfAbsent(deviceId + "#" + n, k -> new AtomicInteger()).incrementAndGet();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            // not acknowledged: not owed
                        }
                    });
                } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                    // too many in flight: the broker is holding back; try again shortly
                }
                Thread.sleep(10);
            }
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void publishHttp(int port, String deviceId, String token) {
        long seq = 0;
        while (publishing.get()) {
            List<Long> batch = new ArrayList<>();
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 10; i++) {
                batch.add(seq);
                body.append(i == 0 ? "" : ",").append(record(seq++));
            }
            body.append(']');
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/ingest/telemetry"))
                        .header("Authorization", "Bearer " + deviceId + ":" + token)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                httpStatuses.add(response.statusCode());
                if (response.statusCode() == 202) {
                    for (long n : batch) {
                        acknowledged.computeIfAbsent(deviceId + "#" + n, k -> new AtomicInteger()).incrementAndGet();
                    }
                } else if (response.headers().firstValue("Retry-After").isPresent()) {
                    retryAfterSeen.incrementAndGet();
                }
                Thread.sleep(50);
            } catch (Exception e) {
                // a failed request is not acknowledged: nothing owed
            }
        }
    }

    private static String record(long seq) {
        return "{\"ts\":" + System.currentTimeMillis() + ",\"metrics\":{\"seq\":" + seq + "}}";
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "publisher");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
