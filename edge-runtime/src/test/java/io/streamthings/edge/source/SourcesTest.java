package io.streamthings.edge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.telemetry.TelemetryRecord;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Collects what a source hands on; commits the last position right away, as the runtime would after queueing. */
    static final class Collector implements SourceSink {
        final List<TelemetryRecord> records = new CopyOnWriteArrayList<>();
        final List<String> rejections = new CopyOnWriteArrayList<>();
        volatile boolean commit = true;

        @Override
        public void accept(TelemetryRecord record, Source from, long position) {
            records.add(record);
            if (commit && position >= 0) {
                from.commit(position);
            }
        }

        @Override
        public void rejected(String source, String reason) {
            rejections.add(reason);
        }

        List<Double> temperatures() {
            return records.stream().map(r -> r.metrics().get("temperature")).toList();
        }
    }

    private static String line(double temperature) {
        return "{\"ts\":" + System.currentTimeMillis() + ",\"metrics\":{\"temperature\":" + temperature + "}}\n";
    }

    @Test
    void shouldReadStdinLinesAndReportTheOnesThatAreNotTelemetry() throws Exception {
        String input = line(1) + "\n" + "not json\n" + "[" + line(2).trim() + "," + line(3).trim() + "]\n";
        Collector c = new Collector();
        try (StdinSource s = new StdinSource(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))) {
            s.start(c);
            await().atMost(WAIT).until(() -> c.records.size() == 3);
        }
        assertThat(c.temperatures()).containsExactly(1.0, 2.0, 3.0);
        assertThat(c.rejections).singleElement().asString().contains("malformed JSON");
    }

    @Test
    void shouldFollowAGrowingFileAndWaitForALineToEnd() throws Exception {
        Path file = dir.resolve("sensor.log");
        Files.writeString(file, line(1));
        Collector c = new Collector();
        try (FileTailSource s = new FileTailSource(file, dir.resolve("offsets"))) {
            s.start(c);
            await().atMost(WAIT).until(() -> c.records.size() == 1);
            String second = line(2);
            Files.writeString(file, second.substring(0, 10), StandardOpenOption.APPEND);
            Files.writeString(file, second.substring(10), StandardOpenOption.APPEND);
            Files.writeString(file, line(3), StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> c.records.size() == 3);
        }
        assertThat(c.temperatures()).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void shouldResumeAfterTheLastCommittedLine() throws Exception {
        Path file = dir.resolve("sensor.log");
        Files.writeString(file, line(1) + line(2));
        Collector first = new Collector();
        try (FileTailSource s = new FileTailSource(file, dir.resolve("offsets"))) {
            s.start(first);
            await().atMost(WAIT).until(() -> first.records.size() == 2);
        }
        Files.writeString(file, line(3), StandardOpenOption.APPEND);
        Collector second = new Collector();
        second.commit = false; // read, but its output never reached the queue: a crash now
        try (FileTailSource s = new FileTailSource(file, dir.resolve("offsets"))) {
            s.start(second);
            await().atMost(WAIT).until(() -> second.records.size() == 1);
        }
        Collector third = new Collector();
        try (FileTailSource s = new FileTailSource(file, dir.resolve("offsets"))) {
            s.start(third);
            await().atMost(WAIT).until(() -> third.records.size() == 1);
        }
        assertThat(second.temperatures()).containsExactly(3.0);
        assertThat(third.temperatures()).containsExactly(3.0);
    }

    @Test
    void shouldTakeTelemetryOverHttpAndRefuseWhatIsNot() throws Exception {
        Collector c = new Collector();
        try (HttpSource s = new HttpSource("127.0.0.1", 0)) {
            s.start(c);
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + s.port() + "/telemetry");
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("[" + line(7).trim() + "]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ts\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(202);
            assertThat(ok.body()).contains("\"accepted\":1");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("\"accepted\":0").contains("message");
            assertThat(get.statusCode()).isEqualTo(405);
        }
        assertThat(c.temperatures()).containsExactly(7.0);
    }

    @Test
    void shouldSimulateTheDeviceSimulatorsSignal() throws Exception {
        Collector c = new Collector();
        try (SimulatedSource s = new SimulatedSource(0, 7, 0)) {
            s.start(c);
            await().atMost(WAIT).until(() -> c.records.size() >= 100);
        }
        assertThat(c.records.get(0).metrics()).containsOnlyKeys("temperature", "humidity", "pressure");
    }
}
