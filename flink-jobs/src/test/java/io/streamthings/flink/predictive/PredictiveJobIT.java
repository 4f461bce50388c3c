package io.streamthings.flink.predictive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.predictive.PredictiveJobConfig.Option;
import io.streamthings.embedded.testkit.InfluxExtension;
import io.streamthings.embedded.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PredictiveJob#build} unchanged on a MiniCluster at parallelism 2 with a real Kafka broker and a real influxd:
 * forecasts reach the {@code predictions} measurement as the API reads them, a spike becomes one {@code anomaly} alert
 * on the alerts topic, and an undecodable record is skipped without stopping the job.
 */
class PredictiveJobIT {

    private static final long MIN = 60_000L;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

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
        influx = InfluxDBFactory.connect(influxServer.url());
    }

    @AfterAll
    static void disconnect() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void shouldWriteForecastsAndRaiseAnAnomalyAlertForASpike() throws Exception {
        kafka.createTopics(List.of(new TopicSpec("p.raw", 3, false), new TopicSpec("p.alerts", 1, false)));
        PredictiveJobConfig config = PredictiveJobConfig.builder()
                .set(Option.KAFKA_BOOTSTRAP, kafka.bootstrapServers())
                .set(Option.TOPIC_RAW, "p.raw")
                .set(Option.TOPIC_ALERTS, "p.alerts")
                .set(Option.INFLUX_URL, influxServer.url())
                .set(Option.INFLUX_DATABASE, "predictive")
                .set(Option.INFLUX_FLUSH_INTERVAL_MS, 200)
                .set(Option.PARALLELISM, 2)
                .set(Option.CHECKPOINT_INTERVAL_MS, 1_000)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PredictiveJob.build(env, config);
        JobClient job = env.executeAsync(PredictiveJob.JOB_NAME);
        try {
            // Given 300 minutes of a noisy temperature of p1 with a spike at minute 250, and one broken record
            long t0 = (System.currentTimeMillis() / MIN - 400) * MIN;
            Random random = new Random(5);
            TelemetryCodec codec = new TelemetryCodec();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("p.raw", "acme/p1".getBytes(StandardCharsets.UTF_8),
                        "{broken".getBytes(StandardCharsets.UTF_8)));
                for (int i = 0; i < 300; i++) {
                    double value = i == 250 ? 60.0 : 20 + random.nextGaussian();
                    StampedTelemetry s = new StampedTelemetry("acme", "thermo", "p1", t0 + i * MIN + 100,
                            new TelemetryRecord(t0 + i * MIN, Map.of("temperature", value), Map.of()));
                    producer.send(new ProducerRecord<>("p.raw", s.key().getBytes(StandardCharsets.UTF_8),
                            codec.encodeStamped(s)));
                }
                producer.flush();
            }

            // Then the forecast of every reading is in InfluxDB, made before the time it forecasts
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(count()).isEqualTo(300));
            List<List<Object>> last = rows("SELECT forecast, lower, upper, madeAt, anomalyScore FROM predictions "
                    + "WHERE deviceId = 'p1' AND metric = 'temperature' ORDER BY time DESC LIMIT 1");
            assertThat(((Number) last.get(0).get(1)).doubleValue()).isBetween(17.0, 23.0);
            assertThat(((Number) last.get(0).get(4)).longValue()).isLessThan(((Number) last.get(0).get(0))
                    .longValue());
            // and the spike is one anomaly alert, in the rules service's form
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerts())
                    .anySatisfy(a -> {
                        assertThat(a.rule()).isEqualTo("anomaly");
                        assertThat(a.deviceId()).isEqualTo("p1");
                        assertThat(a.ts()).isEqualTo(t0 + 250 * MIN);
                        assertThat(a.values()).containsEntry("actual", 60.0).containsKeys("expected", "score");
                    }));
            assertThat(alerts()).filteredOn(a -> a.ts() == t0 + 250 * MIN).hasSize(1);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static long count() {
        List<List<Object>> rows = rows("SELECT count(forecast) FROM predictions WHERE deviceId = 'p1'");
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    private static List<List<Object>> rows(String q) {
        QueryResult result = influx.query(new Query(q, "predictive"), TimeUnit.MILLISECONDS);
        List<List<Object>> rows = new ArrayList<>();
        if (result.getResults() == null) {
            return rows;
        }
        for (QueryResult.Result r : result.getResults()) {
            if (r.getSeries() != null) {
                r.getSeries().forEach(s -> rows.addAll(s.getValues()));
            }
        }
        return rows;
    }

    private static List<AlertEvent> alerts() {
        List<AlertEvent> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("p.alerts"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(AlertCodec.decode(r.value())));
            }
        }
        return out;
    }
}
