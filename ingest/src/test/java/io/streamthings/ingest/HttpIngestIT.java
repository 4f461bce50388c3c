package io.streamthings.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.embedded.testkit.Credentials;
import io.streamthings.embedded.testkit.KafkaExtension;
import io.streamthings.ingest.support.Devices;
import io.streamthings.embedded.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP ingest as a running Dropwizard service ({@link IngestApplication}) on the real embedded Kafka: device-token
 * authentication, 202 only after Kafka acknowledged, per-record errors, gzip, line protocol, 413, 429.
 */
class HttpIngestIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(Topics.ALL);

    static Credentials credentials;
    static TopicReader reader;
    static DropwizardTestSupport<IngestConfiguration> app;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        credentials = KAFKA.credentials();
        reader = KAFKA.reader();
        app = new DropwizardTestSupport<>(IngestApplication.class, ResourceHelpers.resourceFilePath("ingest-test.yml"),
                ConfigOverride.config("ingest.kafka.bootstrapServers", KAFKA.bootstrapServers()));
        app.before();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.after();
        }
        if (credentials != null) {
            credentials.close();
        }
    }

    @Test
    void shouldAcceptOneRecordAndABatchOnlyAfterKafkaAcknowledged() throws Exception {
        String token = enroll("acme", "h-1");

        HttpResponse<String> one = post("/telemetry", "h-1:" + token, null, Devices.record("temperature", 21.5));
        HttpResponse<String> batch = post("/telemetry", "h-1:" + token, null,
                "[" + Devices.record("t", 1) + "," + Devices.record("t", 2) + "]");

        assertThat(one.statusCode()).isEqualTo(202);
        assertThat(one.body()).isEqualTo("{\"accepted\":1,\"rejected\":[]}");
        assertThat(batch.body()).isEqualTo("{\"accepted\":2,\"rejected\":[]}");
        // 202 came after Kafka's acknowledgement: the records are there without waiting.
        List<StampedTelemetry> records = reader.telemetryOf("h-1");
        assertThat(records).hasSize(3);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.tenant()).isEqualTo("acme");
            assertThat(r.deviceType()).isEqualTo("thermostat");
        });
    }

    @Test
    void shouldTakeATenantQualifiedBearerAndKeepTwoTenantsDevicesOfOneIdApart() throws Exception {
        String acme = enroll("acme", "h-twin");
        String globex = enroll("globex", "h-twin");

        assertThat(post("/telemetry", "h-twin@acme:" + acme, null, Devices.record("a", 1)).statusCode())
                .isEqualTo(202);
        assertThat(post("/telemetry", "h-twin@globex:" + globex, null, Devices.record("g", 2)).statusCode())
                .isEqualTo(202);
        assertThat(post("/telemetry", "h-twin@globex:" + acme, null, Devices.record("x", 3)).statusCode())
                .as("acme's token does not open globex's device").isEqualTo(401);
        assertThat(post("/telemetry", "h-twin@no-such-tenant:" + acme, null, Devices.record("x", 3)).statusCode())
                .isEqualTo(401);

        List<StampedTelemetry> records = reader.telemetryOf("h-twin");
        assertThat(records).hasSize(2);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("acme/h-twin");
            assertThat(r.record().metrics()).containsOnlyKeys("a");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("globex/h-twin");
            assertThat(r.record().metrics()).containsOnlyKeys("g");
        });
    }

    @Test
    void shouldAuthenticateWithTheDeviceIdHeaderToo() throws Exception {
        String token = enroll("acme", "h-hdr");
        HttpRequest request = HttpRequest.newBuilder(uri("/telemetry"))
                .header("Authorization", "Bearer " + token)
                .header("X-Device-Id", "h-hdr")
                .POST(HttpRequest.BodyPublishers.ofString(Devices.record("v", 1)))
                .build();
        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAcceptTheGoodRecordsOfABatchAndDeadLetterTheBadOnes() throws Exception {
        String token = enroll("acme", "h-mixed");
        String bad = "{\"metrics\":{\"temperature\":\"hot\"}}";

        HttpResponse<String> response = post("/telemetry", "h-mixed:" + token, null,
                "[" + Devices.record("t", 1) + "," + bad + "," + Devices.record("t", 3) + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"accepted\":2,\"rejected\":[{\"index\":1,\"message\":"
                + "\"metrics.temperature: expected a number, got \\\"hot\\\"\"}]}");
        assertThat(reader.telemetryOf("h-mixed")).hasSize(2);
        DeadLetter letter = deadLettersOf("h-mixed").get(0);
        assertThat(letter.reason()).isEqualTo("metrics.temperature: expected a number, got \"hot\"");
        assertThat(letter.rawPayloadText()).contains(bad);
        assertThat(letter.source()).isEqualTo("http");
    }

    @Test
    void shouldRefuseMalformedJsonAndWrongTypesWith400AndDeadLetterThem() throws Exception {
        String token = enroll("acme", "h-bad");

        HttpResponse<String> malformed = post("/telemetry", "h-bad:" + token, null, "{not json");
        HttpResponse<String> wrongType = post("/telemetry", "h-bad:" + token, null, "{\"metrics\":[1,2]}");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).startsWith("{\"code\":400,\"message\":\"$: ");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("metrics: expected an object of metric names to numbers");
        assertThat(deadLettersOf("h-bad")).extracting(l -> l.rawPayloadText().orElse(""))
                .containsExactlyInAnyOrder("{not json", "{\"metrics\":[1,2]}");
    }

    @Test
    void shouldRejectARecordWithTenThousandMetricsWithAReason() throws Exception {
        String token = enroll("acme", "h-wide");
        String tooMany = IntStream.range(0, 10_000).mapToObj(i -> "\"m" + i + "\":" + i)
                .collect(Collectors.joining(",", "{\"metrics\":{", "}}"));

        HttpResponse<String> response = post("/telemetry", "h-wide:" + token, null, tooMany);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"message\":\"metrics: more than 1000 metrics\"");
        assertThat(deadLettersOf("h-wide")).singleElement()
                .satisfies(l -> assertThat(l.reason()).isEqualTo("metrics: more than 1000 metrics"));
    }

    @Test
    void shouldAnswer413ToATenMegabyteBodyWithoutReadingItAll() throws Exception {
        String token = enroll("acme", "h-big");
        byte[] body = ("[" + (Devices.record("t", 1) + ",").repeat(260_000)).getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(10_000_000);

        // Chunked, so the server cannot refuse on Content-Length alone: the check happens while streaming.
        HttpURLConnection c = (HttpURLConnection) uri("/telemetry").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setChunkedStreamingMode(64 * 1024);
        c.setRequestProperty("Authorization", "Bearer h-big:" + token);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        } catch (IOException e) {
            // the server may answer and close before the whole body is sent
        }
        assertThat(c.getResponseCode()).isEqualTo(413);
        assertThat(new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("{\"code\":413,\"message\":\"the body is larger than the limit of 1048576 bytes\"");
        await().atMost(WAIT).until(() -> !deadLettersOf("h-big").isEmpty());
        assertThat(deadLettersOf("h-big").get(0).reason()).contains("larger than the limit");
        assertThat(reader.telemetryOf("h-big")).isEmpty();
    }

    @Test
    void shouldInflateGzipBodies() throws Exception {
        String token = enroll("acme", "h-gz");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(("[" + Devices.record("t", 1) + "," + Devices.record("t", 2) + "]")
                    .getBytes(StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(uri("/telemetry"))
                .header("Authorization", "Bearer h-gz:" + token)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
                .build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"accepted\":2,\"rejected\":[]}");
    }

    @Test
    void shouldRefuseWrongRotatedAndMissingTokensWith401AndABlockedDeviceWith403() throws Exception {
        String old = enroll("acme", "h-auth");

        assertThat(post("/telemetry", "h-auth:wrong", null, Devices.record("t", 1)).statusCode()).isEqualTo(401);
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(uri("/telemetry"))
                .POST(HttpRequest.BodyPublishers.ofString(Devices.record("t", 1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).startsWith("{\"code\":401,\"message\":\"missing device credentials");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();

        String fresh = credentials.rotate("acme", "h-auth");
        await().atMost(WAIT).until(() -> post("/telemetry", "h-auth:" + fresh, null, "[]").statusCode() != 401);
        HttpResponse<String> empty = post("/telemetry", "h-auth:" + fresh, null, "[]");
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(empty.body()).contains("no records");
        assertThat(post("/telemetry", "h-auth:" + old, null, Devices.record("t", 1)).body())
                .isEqualTo("{\"code\":401,\"message\":\"unknown device or wrong device token\"}");

        credentials.status("acme", "h-auth", DeviceStatus.BLOCKED);
        await().atMost(WAIT).until(() -> post("/telemetry", "h-auth:" + fresh, null, Devices.record("t", 1))
                .statusCode() == 403);
        assertThat(post("/telemetry", "h-auth:" + fresh, null, Devices.record("t", 1)).body())
                .isEqualTo("{\"code\":403,\"message\":\"device h-auth is BLOCKED\"}");
        assertThat(reader.telemetryOf("h-auth")).isEmpty();
    }

    @Test
    void shouldTakeLineProtocolAsTelegrafSendsIt() throws Exception {
        String token = enroll("acme", "h-lp");
        long ns = System.currentTimeMillis() * 1_000_000L;
        String ok = "cpu,host=a usage_idle=98.5,usage_user=1.5 " + ns + "\nmem,host=a used=1024i " + ns + "\n";

        HttpResponse<String> accepted = post("/write", "h-lp:" + token, null, ok);
        HttpResponse<String> partial = post("/write?precision=ms", "h-lp:" + token, null,
                "cpu usage_idle=1 " + (ns / 1_000_000) + "\nlog msg=\"hello\"\n");

        assertThat(accepted.statusCode()).isEqualTo(204);
        assertThat(partial.statusCode()).isEqualTo(400);
        assertThat(partial.body()).contains("partial write: 1 line(s) rejected, 1 accepted")
                .contains("line 2: field msg is a string");
        List<StampedTelemetry> records = reader.telemetryOf("h-lp");
        assertThat(records).hasSize(3);
        assertThat(records.get(0).record().metrics()).containsEntry("cpu.usage_idle", 98.5)
                .containsEntry("cpu.usage_user", 1.5);
        assertThat(records.get(0).record().tags()).containsEntry("host", "a");
        assertThat(records.get(0).record().ts()).isEqualTo(ns / 1_000_000);
        assertThat(deadLettersOf("h-lp")).singleElement()
                .satisfies(l -> assertThat(l.rawPayloadText()).contains("log msg=\"hello\""));
    }

    @Test
    void shouldAnswer429WithRetryAfterOverTheDeviceRate() throws Exception {
        String token = enroll("acme", "h-rate");
        String batch = IntStream.range(0, 10_000).mapToObj(i -> Devices.record("t", i))
                .collect(Collectors.joining(",", "[", "]"));

        assertThat(post("/telemetry", "h-rate:" + token, null, batch).statusCode()).isEqualTo(202);
        assertThat(post("/telemetry", "h-rate:" + token, null, batch).statusCode()).isEqualTo(202);
        HttpResponse<String> limited = post("/telemetry", "h-rate:" + token, null, batch);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 10L));
        assertThat(limited.body()).startsWith("{\"code\":429,\"message\":\"rate limit exceeded for device h-rate");
    }

    @Test
    void shouldPublishSeenEventsAndCountMetrics() throws Exception {
        String token = enroll("acme", "h-seen");
        post("/telemetry", "h-seen:" + token, null, Devices.record("t", 1));

        await().atMost(WAIT).until(() -> reader.deviceEvents().stream()
                .anyMatch(e -> e.startsWith("acme/h-seen {\"type\":\"seen\"")));
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + app.getAdminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("ingest.records.accepted", "ingest.records.dlq", "ingest.latency",
                "ingest.in-flight.records");
    }

    private static String enroll(String tenant, String deviceId) {
        String token = credentials.enroll(tenant, deviceId, "thermostat");
        await().atMost(WAIT).until(() -> app.<IngestApplication>getApplication().service().directory()
                .authenticate(deviceId, token).admitted());
        return token;
    }

    private static List<DeadLetter> deadLettersOf(String deviceId) {
        return reader.deadLetters().stream().filter(l -> deviceId.equals(l.deviceId())).toList();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.getLocalPort() + "/api/v1/ingest" + path);
    }

    private static HttpResponse<String> post(String path, String bearer, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers != null) {
            headers.forEach(request::header);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
