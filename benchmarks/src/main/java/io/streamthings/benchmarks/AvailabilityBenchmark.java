package io.streamthings.benchmarks;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEventCodec;
import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.flink.batch.AvailabilityJob;
import io.streamthings.flink.batch.AvailabilityJobConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Time of the availability batch job ({@link AvailabilityJob}) for one day of a fleet: {@code devices} devices, each
 * online with a {@code seen} event every minute (the real-time job's most) and a few outages (offline, then online),
 * written to {@code device.events} in a real Kafka broker in time order; then the day is computed into a real influxd
 * by one batch job in a local MiniCluster, as the standalone scheduler runs it.
 *
 * <p>Options: {@code devices} (1000), {@code parallelism} (2), {@code out}.
 */
public final class AvailabilityBenchmark {

    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;

    private AvailabilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchmarkArgs.parse(args);
        int devices = Integer.parseInt(opts.getOrDefault("devices", "1000"));
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", "2"));
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/availability.md"));
        Path dir = Files.createTempDirectory("availability-bench");
        long day = (System.currentTimeMillis() / DAY - 2) * DAY;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                InfluxServer influx = InfluxServer.start(dir.resolve("influx"), 0)) {
            kafka.createTopics(List.of(new TopicSpec("device.events", 3, false)));
            long writeStart = System.nanoTime();
            long events = 0;
            Random random = new Random(1);
            // Per device: down from a random minute for a random length, twice a day.
            int[][] outages = new int[devices][4];
            for (int d = 0; d < devices; d++) {
                for (int o = 0; o < 2; o++) {
                    outages[d][2 * o] = o * 720 + random.nextInt(600);
                    outages[d][2 * o + 1] = outages[d][2 * o] + 1 + random.nextInt(90);
                }
            }
            DeviceEventCodec codec = DeviceEventCodec.INSTANCE;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int m = -1; m < 1440; m++) {
                    long t = day + m * MINUTE;
                    for (int d = 0; d < devices; d++) {
                        DeviceEvent.Kind kind;
                        int[] o = outages[d];
                        if (m == -1 || m == o[1] || m == o[3]) {
                            kind = DeviceEvent.Kind.ONLINE;
                        } else if (m == o[0] || m == o[2]) {
                            kind = DeviceEvent.Kind.OFFLINE;
                        } else if ((m > o[0] && m < o[1]) || (m > o[2] && m < o[3])) {
                            continue;
                        } else {
                            kind = DeviceEvent.Kind.SEEN;
                        }
                        DeviceEvent e = DeviceEvent.presence(kind, "acme", "dev-" + d, t + d);
                        producer.send(new ProducerRecord<>("device.events", null, t + d,
                                e.key().toString().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
                        events++;
                    }
                }
                producer.flush();
            }
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

            long started = System.nanoTime();
            AvailabilityJobConfig config = new AvailabilityJobConfig(kafka.bootstrapServers(), "device.events",
                    influx.url(), "bench", day, day + DAY, DAY, 3_600_000L, parallelism, "INF");
            StreamExecutionEnvironment env = local(parallelism);
            AvailabilityJob.build(env, config);
            env.execute(AvailabilityJob.JOB_NAME);
            double seconds = (System.nanoTime() - started) / 1e9;
            String count = influx.query("SELECT count(\"uptimeMs\") FROM \"bench\".\"rp_1d\".\"availability_1d\"");

            String md = String.format(Locale.ROOT, "# Availability batch job: one day of a fleet%n%n"
                    + "Generated %s by `AvailabilityBenchmark` (`benchmarks/run.sh availability`) on this machine "
                    + "(2 cores, shared). %,d devices online all day but for two outages each (1 to 90 minutes), with "
                    + "a `seen` event every minute while online (the real-time job sends at most one a minute): "
                    + "%,d presence events on `device.events` in a real Kafka broker (written in %.1f s, not part of "
                    + "the batch time). `AvailabilityJob` computes the day at parallelism %d in a local MiniCluster "
                    + "of its own (start-up included), as the standalone scheduler runs it.%n%n"
                    + "| events read | points written | seconds |%n|---|---|---|%n| %,d | %,d | **%.1f** |%n%n"
                    + "InfluxDB's count after the run: %s.%n", Instant.now().toString().substring(0, 16) + "Z",
                    devices, events, writeSeconds, parallelism, events, devices, seconds, count);
            System.out.print(md);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md);
        }
    }

    private static StreamExecutionEnvironment local(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }
}
