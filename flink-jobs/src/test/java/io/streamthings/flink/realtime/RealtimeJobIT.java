package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.metrics.FlinkMetricsSummary;
import io.streamthings.embedded.testkit.InfluxExtension;
import io.streamthings.embedded.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.influxdb.InfluxDB;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production topology of {@link RealtimeJob}, built by {@link RealtimeJob#build} unchanged, on a MiniCluster at
 * parallelism 2 against a real Kafka broker and a real influxd.
 */
class RealtimeJobIT {

    private static final int PARALLELISM = 2;
    private static final long MINUTE = 60_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = ItServers.miniCluster(PARALLELISM);

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

    /** A record as the test sent it, with the test's own verdict on whether it was too late for its window. */
    private record Sent(String deviceId, long ts, Map<String, Double> metrics, boolean tooLate) {
    }

    @Test
    void shouldWriteWindowsEqualToIndependentlyComputedOnesAndKeepLateRecordsAndTrackPresence() throws Exception {
        // Given a job with 1-minute windows, 5 s out-of-orderness, 60 s allowed lateness, and short idleness so that
        // the five unused partitions of the input topic do not hold the watermark back.
        RealtimeJobConfig config = ItServers.topics(RealtimeJobConfig.builder(), kafka, "w")
                .set(RealtimeJobConfig.Option.INFLUX_URL, influxServer.url())
                .set(RealtimeJobConfig.Option.INFLUX_DATABASE, "windows")
                .set(RealtimeJobConfig.Option.INFLUX_FLUSH_INTERVAL_MS, 200)
                .set(RealtimeJobConfig.Option.PARALLELISM, PARALLELISM)
                .set(RealtimeJobConfig.Option.WINDOW_SIZE_MS, MINUTE)
                .set(RealtimeJobConfig.Option.OUT_OF_ORDERNESS_MS, 5_000)
                .set(RealtimeJobConfig.Option.ALLOWED_LATENESS_MS, MINUTE)
                .set(RealtimeJobConfig.Option.IDLENESS_MS, 1_000)
                .set(RealtimeJobConfig.Option.OFFLINE_AFTER_MS, 600_000)
                .set(RealtimeJobConfig.Option.SEEN_INTERVAL_MS, 0)
                .set(RealtimeJobConfig.Option.CHECKPOINT_INTERVAL_MS, 1_000)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RealtimeJob.build(env, config);
        JobClient job = env.executeAsync(RealtimeJob.JOB_NAME);
        try {
            runWindowScenario(config);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private void runWindowScenario(RealtimeJobConfig config) throws Exception {
        long t0 = (System.currentTimeMillis() / MINUTE - 30) * MINUTE;
        Model model = new Model(5_000, MINUTE, MINUTE);
        // Every record on partition 0, so that their order, and so the watermark, is the order they are sent in.
        try (KafkaProducer<byte[], byte[]> producer = ItServers.producer(kafka)) {
            Sender send = (device, offsetMs, metrics, tags) -> {
                model.add(device, t0 + offsetMs, metrics);
                ItServers.send(producer, config.topicRaw(), 0, device, t0 + offsetMs, metrics, tags);
            };
            // When: window 0 with in-order and out-of-order readings, then window 1, then a reading that makes the
            // watermark pass the end of window 0 (t0 + 110 s) but not its allowed lateness.
            send.send("d1", 1_000, Map.of("temperature", 20.0, "humidity", 40.0), Map.of("site", "plant-a"));
            send.send("d1", 5_000, Map.of("temperature", 21.0, "humidity", 41.0), Map.of("site", "plant-a"));
            send.send("d2", 6_000, Map.of("temperature", 30.0), Map.of());
            send.send("d1", 12_000, Map.of("temperature", 19.0, "humidity", 42.0), Map.of("site", "plant-a"));
            send.send("d1", 9_000, Map.of("temperature", 25.0), Map.of("site", "plant-a"));
            send.send("p1", 20_000, Map.of("temperature", 10.0), Map.of(PresenceRules.OFFLINE_AFTER_TAG, "2000"));
            send.send("d2", 30_000, Map.of("temperature", 31.5), Map.of());
            send.send("d1", 59_500, Map.of("temperature", 22.0, "humidity", 43.0), Map.of("site", "plant-a"));
            send.send("d1", 61_000, Map.of("temperature", 23.0, "humidity", 44.0), Map.of("site", "plant-a"));
            send.send("d2", 62_000, Map.of("temperature", 32.0), Map.of());
            send.send("d1", 58_000, Map.of("temperature", 18.0), Map.of("site", "plant-a"));
            send.send("d1", 90_000, Map.of("temperature", 24.0, "humidity", 45.0), Map.of("site", "plant-a"));
            send.send("d2", 115_000, Map.of("temperature", 33.0), Map.of());
            producer.send(new ProducerRecord<>(config.topicRaw(), 0, "acme/d9".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            awaitWindowCount(config, "d1", "temperature", t0, 6);

            // Then a reading for window 0 within the allowed lateness updates it.
            send.send("d1", 10_000, Map.of("temperature", 26.0), Map.of("site", "plant-a"));
            awaitWindowCount(config, "d1", "temperature", t0, 7);

            // Then the watermark passes window 1 (and window 0's allowed lateness).
            send.send("d2", 200_000, Map.of("temperature", 34.0), Map.of());
            awaitWindowCount(config, "d1", "temperature", t0 + MINUTE, 2);

            // Then a reading for window 0 is too late: it must be counted and stored, not dropped.
            send.send("d1", 15_000, Map.of("temperature", 99.0, "humidity", 99.5), Map.of("site", "plant-a"));
            // p1 (offline after 2 s of silence) has long been quiet; once it is offline, it sends again.
            await().atMost(Duration.ofSeconds(30)).until(() -> eventTypes(config, "p1").size() >= 2);
            send.send("p1", 205_000, Map.of("temperature", 11.0), Map.of(PresenceRules.OFFLINE_AFTER_TAG, "2000"));
            // Finally a reading far ahead closes every window before it.
            send.send("d2", 400_000, Map.of("temperature", 35.0), Map.of());
        }

        Map<String, Expected> expected = model.windowsClosedBy(t0 + 400_000);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(actualWindows(config)).containsOnlyKeys(expected.keySet()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Map<String, Object>> actual = actualWindows(config);
            for (var e : expected.entrySet()) {
                Map<String, Object> row = actual.get(e.getKey());
                Expected x = e.getValue();
                assertThat(((Number) row.get("count")).longValue()).as(e.getKey() + " count").isEqualTo(x.count);
                assertThat((Double) row.get("min")).as(e.getKey() + " min").isEqualTo(x.min);
                assertThat((Double) row.get("max")).as(e.getKey() + " max").isEqualTo(x.max);
                assertThat((Double) row.get("sum")).as(e.getKey() + " sum").isCloseTo(x.sum, within(1e-9));
                assertThat((Double) row.get("mean")).as(e.getKey() + " mean").isCloseTo(x.sum / x.count, within(1e-9));
                assertThat((Double) row.get("last")).as(e.getKey() + " last").isEqualTo(x.last);
                assertThat((Double) row.get("p95")).as(e.getKey() + " p95").isEqualTo(x.p95());
            }
        });

        // The too-late readings are stored in telemetry_late and counted.
        List<Map<String, Object>> late = ItServers.rows(influx, "windows",
                "SELECT * FROM \"raw\".\"telemetry_late\"");
        assertThat(late).extracting(r -> r.get("metric") + "=" + r.get("value"))
                .containsExactlyInAnyOrder("temperature=99.0", "humidity=99.5");
        assertThat(late).allSatisfy(r -> assertThat(((Number) r.get("time")).longValue()).isEqualTo(t0 + 15_000));
        assertThat(FlinkMetricsSummary.realtimeJob().get("lateRecords")).isEqualTo(2L);

        // Every decodable record is a raw point, with the record's tags; the broken one is a dead letter.
        List<Map<String, Object>> raw = ItServers.rows(influx, "windows",
                "SELECT * FROM \"raw\".\"telemetry\" WHERE \"deviceId\" = 'd1'");
        assertThat(raw).hasSize((int) model.sent.stream().filter(s -> s.deviceId.equals("d1")).count());
        assertThat(raw).allSatisfy(r -> {
            assertThat(r.get("site")).isEqualTo("plant-a");
            assertThat(r.get("tenant")).isEqualTo("acme");
            assertThat(r.get("deviceType")).isEqualTo("thermo");
        });
        assertThat(FlinkMetricsSummary.realtimeJob().get("undecodableRecords")).isEqualTo(1L);
        List<ConsumerRecord<String, byte[]>> dlq = ItServers.readAll(kafka, config.topicDlq());
        assertThat(dlq).hasSize(1);
        assertThat(new String(dlq.get(0).value(), StandardCharsets.UTF_8))
                .contains("\"source\":\"flink-realtime\"", "\"tenant\":\"acme\"", "\"deviceId\":\"d9\"");

        // Presence: p1 went offline after its 2 s of silence and came back; d1 and d2 only came online.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(eventTypes(config, "p1")).startsWith("online", "offline", "online"));
        assertThat(eventTypes(config, "d1")).containsExactly("online");
        assertThat(eventTypes(config, "d2")).containsExactly("online");

        // telemetry.agg, read committed: window 0 of d1's temperature, updated by the late reading (firing 1).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ItServers.readAll(kafka, config.topicAgg()))
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .anySatisfy(json -> assertThat(json).contains("\"deviceId\":\"d1\"",
                                "\"metric\":\"temperature\"", "\"windowStart\":" + t0, "\"count\":7",
                                "\"firing\":1")));
    }

    private void awaitWindowCount(RealtimeJobConfig config, String device, String metric, long windowStart,
            long count) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(actualWindows(config))
                .extractingByKey(device + "/" + metric + "@" + windowStart)
                .extracting(r -> r == null ? null : ((Number) r.get("count")).longValue())
                .isEqualTo(count));
    }

    private static Map<String, Map<String, Object>> actualWindows(RealtimeJobConfig config) {
        Map<String, Map<String, Object>> byKey = new HashMap<>();
        for (Map<String, Object> row : ItServers.rows(influx, config.influxDatabase(),
                "SELECT * FROM \"rp_1m\".\"telemetry_1m\"")) {
            byKey.put(row.get("deviceId") + "/" + row.get("metric") + "@" + ((Number) row.get("time")).longValue(),
                    row);
        }
        return byKey;
    }

    private static List<String> eventTypes(RealtimeJobConfig config, String deviceId) {
        return ItServers.readAll(kafka, config.topicEvents()).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(json -> json.contains("\"deviceId\":\"" + deviceId + "\""))
                .map(json -> json.replaceAll(".*\"type\":\"([a-z]+)\".*", "$1"))
                .collect(Collectors.toList());
    }

    @FunctionalInterface
    private interface Sender {
        void send(String device, long offsetMs, Map<String, Double> metrics, Map<String, String> tags);
    }

    /**
     * The test's own model of the job, written without its code: the watermark of one ordered partition is the
     * greatest timestamp so far minus the bound minus 1 ms; a reading is dropped when its window's last millisecond
     * plus the allowed lateness is at or below the watermark it meets.
     */
    private static final class Model {
        final long bound;
        final long window;
        final long lateness;
        final List<Sent> sent = new ArrayList<>();
        long maxTs = Long.MIN_VALUE;

        Model(long bound, long window, long lateness) {
            this.bound = bound;
            this.window = window;
            this.lateness = lateness;
        }

        void add(String device, long ts, Map<String, Double> metrics) {
            long watermark = maxTs == Long.MIN_VALUE ? Long.MIN_VALUE : maxTs - bound - 1;
            long windowLast = Math.floorDiv(ts, window) * window + window - 1;
            boolean tooLate = watermark != Long.MIN_VALUE && windowLast + lateness <= watermark;
            sent.add(new Sent(device, ts, metrics, tooLate));
            maxTs = Math.max(maxTs, ts);
        }

        /** The windows that fire once the watermark reaches {@code lastTs - bound - 1}, by series and start. */
        Map<String, Expected> windowsClosedBy(long lastTs) {
            long watermark = lastTs - bound - 1;
            Map<String, Expected> out = new LinkedHashMap<>();
            for (Sent s : sent) {
                long start = Math.floorDiv(s.ts, window) * window;
                if (s.tooLate || start + window - 1 > watermark) {
                    continue;
                }
                for (var m : s.metrics.entrySet()) {
                    out.computeIfAbsent(s.deviceId + "/" + m.getKey() + "@" + start, k -> new Expected())
                            .add(s.ts, m.getValue());
                }
            }
            return out;
        }
    }

    private static final class Expected {
        long count;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sum;
        long lastTs = Long.MIN_VALUE;
        double last;
        final List<Double> values = new ArrayList<>();

        void add(long ts, double v) {
            count++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            if (ts > lastTs) {
                lastTs = ts;
                last = v;
            }
            values.add(v);
        }

        double p95() {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
        }
    }
}
