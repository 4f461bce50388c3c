package io.streamthings.flink.realtime;

import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.testkit.TopicReader;
import io.streamthings.flink.metrics.SnapshotMetricReporter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** The real servers of the integration tests and small clients for them: a producer, a reader, InfluxQL queries. */
final class ItServers {

    private static final TelemetryCodec CODEC = new TelemetryCodec();

    private ItServers() {
    }

    /** A MiniCluster of one task manager with the given slots, reporting to the in-JVM metric snapshot. */
    static MiniClusterExtension miniCluster(int slots) {
        return new MiniClusterExtension(() -> {
            Configuration conf = new Configuration();
            SnapshotMetricReporter.configure(conf);
            return new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(slots)
                    .setConfiguration(conf)
                    .build();
        });
    }

    /** The job's four topics under a prefix, so tests sharing one broker do not see each other's records. */
    static RealtimeJobConfig.Builder topics(RealtimeJobConfig.Builder b, EmbeddedKafka kafka, String prefix) {
        List<TopicSpec> specs = List.of(new TopicSpec(prefix + ".raw", 6, false),
                new TopicSpec(prefix + ".agg", 6, false), new TopicSpec(prefix + ".events", 3, false),
                new TopicSpec(prefix + ".dlq", 2, false));
        kafka.createTopics(specs);
        return b.set(RealtimeJobConfig.Option.TOPIC_RAW, prefix + ".raw")
                .set(RealtimeJobConfig.Option.TOPIC_AGG, prefix + ".agg")
                .set(RealtimeJobConfig.Option.TOPIC_EVENTS, prefix + ".events")
                .set(RealtimeJobConfig.Option.TOPIC_DLQ, prefix + ".dlq")
                .set(RealtimeJobConfig.Option.KAFKA_BOOTSTRAP, kafka.bootstrapServers())
                .set(RealtimeJobConfig.Option.KAFKA_GROUP_ID, prefix + "-group")
                .set(RealtimeJobConfig.Option.KAFKA_TRANSACTIONAL_ID_PREFIX, prefix + "-agg");
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Encodes and sends one stamped record, to a given partition when {@code partition} is not null; waits for it. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, String deviceId, long ts,
            Map<String, Double> metrics, Map<String, String> tags) {
        StampedTelemetry stamped = new StampedTelemetry("acme", "thermo", deviceId, System.currentTimeMillis(),
                new TelemetryRecord(ts, metrics, tags));
        byte[] key = stamped.key().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, CODEC.encodeStamped(stamped))).get(10,
                    TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of a topic from the start, read committed (the aggregates are written in transactions). */
    static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafka kafka, String topic) {
        return new TopicReader(kafka.bootstrapServers()).readCommitted(topic);
    }

    static InfluxDB influx(InfluxServer server) {
        return InfluxDBFactory.connect(server.url());
    }

    /** The rows of an InfluxQL query as maps of column to value (times in epoch ms), across every series. */
    static List<Map<String, Object>> rows(InfluxDB influx, String database, String influxQl) {
        QueryResult result = influx.query(new Query(influxQl, database), TimeUnit.MILLISECONDS);
        if (result.getError() != null && result.getError().contains("not found")) {
            return List.of(); // the job's writers have not created it yet
        }
        if (result.getError() != null) {
            throw new IllegalStateException(result.getError());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Result r : result.getResults()) {
            if (r.getError() != null && r.getError().contains("not found")) {
                return List.of();
            }
            if (r.getError() != null) {
                throw new IllegalStateException(r.getError());
            }
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                for (List<Object> values : s.getValues()) {
                    Map<String, Object> row = new HashMap<>();
                    if (s.getTags() != null) {
                        row.putAll(s.getTags());
                    }
                    for (int i = 0; i < s.getColumns().size(); i++) {
                        row.put(s.getColumns().get(i), values.get(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
