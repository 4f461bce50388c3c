package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.metrics.FlinkMetricsSummary;
import io.streamthings.embedded.testkit.InfluxExtension;
import io.streamthings.embedded.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.influxdb.InfluxDB;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test: the job is cancelled in the middle of the stream, restored from its last retained checkpoint, and
 * the windows in InfluxDB (and the committed records of {@code telemetry.agg}) must count every record exactly once.
 */
class RealtimeJobRestoreIT {

    private static final int PARALLELISM = 2;
    private static final long MINUTE = 60_000;
    private static final int DEVICES = 12;
    private static final int SECONDS = 6 * 60;

    @RegisterExtension
    static final MiniClusterExtension FLINK = ItServers.miniCluster(PARALLELISM);

    @TempDir
    static Path data;

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final InfluxExtension INFLUX = new InfluxExtension();

    private static EmbeddedKafka kafka;
    private static InfluxServer influxServer;
    private static InfluxDB influx;

    @BeforeAll
    static void connect() {
        kafka = KAFKA.server();
        influxServer = INFLUX.server();
        influx = ItServers.influx(influxServer);
    }

    @AfterAll
    static void disconnect() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void shouldNeitherLoseNorDoubleCountWhenCancelledMidStreamAndRestoredFromCheckpoint() throws Exception {
        // Given a job with checkpoints every 500 ms kept in a directory, and 12 devices sending one reading per second
        // of event time for 6 minutes (4,320 records) spread over the 6 partitions.
        Path checkpoints = data.resolve("checkpoints");
        RealtimeJobConfig config = ItServers.topics(RealtimeJobConfig.builder(), kafka, "f")
                .set(RealtimeJobConfig.Option.INFLUX_URL, influxServer.url())
                .set(RealtimeJobConfig.Option.INFLUX_DATABASE, "fault")
                .set(RealtimeJobConfig.Option.INFLUX_FLUSH_INTERVAL_MS, 200)
                .set(RealtimeJobConfig.Option.PARALLELISM, PARALLELISM)
                .set(RealtimeJobConfig.Option.OUT_OF_ORDERNESS_MS, 2_000)
                .set(RealtimeJobConfig.Option.ALLOWED_LATENESS_MS, 0)
                .set(RealtimeJobConfig.Option.IDLENESS_MS, 60_000)
                .set(RealtimeJobConfig.Option.CHECKPOINT_INTERVAL_MS, 500)
                .set(RealtimeJobConfig.Option.CHECKPOINT_DIR, checkpoints.toUri().toString())
                .build();
        long t0 = (System.currentTimeMillis() / MINUTE - 20) * MINUTE;
        int total = DEVICES * SECONDS;
        AtomicInteger produced = new AtomicInteger();

        JobClient first = start(config);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<byte[], byte[]> producer = ItServers.producer(kafka)) {
                for (int s = 0; s < SECONDS; s++) {
                    for (int d = 0; d < DEVICES; d++) {
                        ItServers.send(producer, config.topicRaw(), null, "dev-" + d, t0 + s * 1000L,
                                Map.of("v", (double) (d * 1000 + s)), Map.of());
                        produced.incrementAndGet();
                    }
                }
            }
        });

        // When the job is cancelled mid-stream, after some checkpoints and some windows.
        Optional<Path> restoreFrom;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Checkpoints.latest(checkpoints).isPresent()
                    && produced.get() > total / 3 && !windows(config).isEmpty());
        } finally {
            first.cancel().get(30, TimeUnit.SECONDS);
        }
        int producedAtCancel = produced.get();
        assertThat(producedAtCancel).as("cancelled mid-stream").isLessThan(total);
        restoreFrom = Checkpoints.latest(checkpoints);
        assertThat(restoreFrom).isPresent();

        // And restored from the last retained checkpoint while the devices keep sending.
        RealtimeJobConfig restored = config.toBuilder()
                .set(RealtimeJobConfig.Option.RESTORE_FROM, restoreFrom.get().toUri().toString())
                .build();
        JobClient second = start(restored);
        try {
            producing.get(120, TimeUnit.SECONDS);
            // One reading far ahead on each partition moves the watermark of every partition past the last window.
            try (KafkaProducer<byte[], byte[]> producer = ItServers.producer(kafka)) {
                for (int p = 0; p < 6; p++) {
                    ItServers.send(producer, config.topicRaw(), p, "closer-" + p, t0 + 30 * MINUTE, Map.of("v", 0.0),
                            Map.of());
                }
            }

            // Then every window counts each of its readings exactly once.
            Map<String, Long> expected = new HashMap<>();
            for (int d = 0; d < DEVICES; d++) {
                for (int m = 0; m < SECONDS / 60; m++) {
                    expected.put("dev-" + d + "@" + (t0 + m * MINUTE), 60L);
                }
            }
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(windows(config)).isEqualTo(expected));
            assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
            // The restored job did not re-read the topic from the start: its state carried the windows over.
            assertThat(FlinkMetricsSummary.realtimeJob().get("recordsIn").longValue()).isPositive().isLessThan(total);

            // And telemetry.agg holds, read committed, exactly one firing of each window: the cancelled job's open
            // transaction was aborted, and the restored job re-emitted what it had not committed.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Long> firings = ItServers.readAll(kafka, config.topicAgg()).stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .filter(json -> json.contains("\"deviceId\":\"dev-"))
                        .collect(Collectors.groupingBy(RealtimeJobRestoreIT::seriesAndWindow,
                                Collectors.counting()));
                assertThat(firings).hasSize(expected.size());
                assertThat(firings.values()).containsOnly(1L);
            });
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static JobClient start(RealtimeJobConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RealtimeJob.build(env, config);
        return env.executeAsync(RealtimeJob.JOB_NAME);
    }

    /** Count per {@code device@windowStart} in telemetry_1m, for the test devices. */
    private static Map<String, Long> windows(RealtimeJobConfig config) {
        List<Map<String, Object>> rows = ItServers.rows(influx, config.influxDatabase(),
                "SELECT \"count\" FROM \"rp_1m\".\"telemetry_1m\" WHERE \"deviceId\" =~ /^dev-/ GROUP BY \"deviceId\"");
        Map<String, Long> counts = new HashMap<>();
        for (Map<String, Object> row : rows) {
            counts.put(row.get("deviceId") + "@" + ((Number) row.get("time")).longValue(),
                    ((Number) row.get("count")).longValue());
        }
        return counts;
    }

    private static String seriesAndWindow(String json) {
        String device = json.replaceAll(".*\"deviceId\":\"([^\"]+)\".*", "$1");
        String start = json.replaceAll(".*\"windowStart\":([0-9]+).*", "$1");
        return device + "@" + start;
    }
}
