package io.streamthings.flink.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEventCodec;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.testkit.InfluxExtension;
import io.streamthings.embedded.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * {@link AvailabilityJob} on a MiniCluster at parallelism 2 against a real Kafka broker and a real influxd: random
 * presence histories of several devices go onto the topic, and every day's figures must equal those counted second by
 * second from the same histories; a second run must leave every point as it was.
 */
class AvailabilityJobIT {

    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = Availability.DAY_MS;
    private static final String DB = "availability";
    private static final String TOPIC = "a.device.events";
    private static final int DEVICES = 6;

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

    /** One presence event and when it was written to Kafka. */
    private record Sent(DeviceEvent event, long writtenAt) {
    }

    @Test
    void shouldComputeEveryDayAsCountedSecondBySecondAndChangeNothingWhenRunTwice() throws Exception {
        // Given random presence histories of six devices from a day before the range through three days: d0 always
        // up, d1 offline for over a day (a day without events), d5 first heard on the range's last day; plus a
        // lifecycle event and an undecodable record
        long day0 = (System.currentTimeMillis() / DAY - 5) * DAY;
        long from = day0;
        long to = day0 + 3 * DAY;
        List<List<Sent>> histories = new ArrayList<>();
        Random random = new Random(18);
        for (int d = 0; d < DEVICES; d++) {
            histories.add(history("d" + d, d, d == 5 ? to - 9 * HOUR : day0 - DAY + random.nextInt(3600) * SECOND,
                    to + 2 * HOUR, day0 + 2 * DAY + 3 * HOUR, random));
        }
        kafka.createTopics(List.of(new TopicSpec(TOPIC, 3, false)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // in the order of their record times, as they are when written live (the job bounds the topic by them)
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            records.add(new ProducerRecord<>(TOPIC, null, day0 + HOUR, "acme/d1".getBytes(StandardCharsets.UTF_8),
                    "{broken".getBytes(StandardCharsets.UTF_8)));
            DeviceEvent enrolled = DeviceEvent.lifecycle(DeviceEvent.Kind.ENROLLED, "acme", "d1", "thermo",
                    DeviceStatus.ACTIVE, day0 + HOUR);
            records.add(new ProducerRecord<>(TOPIC, null, day0 + HOUR, "acme/d1".getBytes(StandardCharsets.UTF_8),
                    DeviceEventCodec.INSTANCE.encode(enrolled)));
            for (List<Sent> history : histories) {
                for (Sent s : history) {
                    records.add(new ProducerRecord<>(TOPIC, null, s.writtenAt(), s.event().key().toString()
                            .getBytes(StandardCharsets.UTF_8), DeviceEventCodec.INSTANCE.encode(s.event())));
                }
            }
            records.sort(Comparator.comparingLong(ProducerRecord::timestamp));
            records.forEach(producer::send);
            producer.flush();
        }

        // When the job runs over the three days (the range given off the day boundaries), twice
        AvailabilityJobConfig config = new AvailabilityJobConfig(kafka.bootstrapServers(), TOPIC, influxServer.url(),
                DB, from + 7 * HOUR, to - HOUR, 2 * DAY, HOUR, 2, "INF");
        assertThat(config.fromMs()).isEqualTo(from);
        assertThat(config.toMs()).isEqualTo(to);
        run(config);
        Map<String, Map<String, Object>> first = rows();
        run(config);
        Map<String, Map<String, Object>> second = rows();

        // Then every day of every device is what counting its seconds gives
        Map<String, long[]> expected = new TreeMap<>();
        for (List<Sent> history : histories) {
            expected.putAll(countedBySeconds(history, from, to));
        }
        assertThat(first.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(first).containsKeys("d0@" + day0, "d1@" + (day0 + DAY), "d5@" + (to - DAY));
        assertThat(first).doesNotContainKey("d5@" + day0);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Map<String, Object> row = first.get(e.getKey());
            long[] want = e.getValue();
            assertThat(new long[] {number(row, "knownMs"), number(row, "uptimeMs"), number(row, "outages"),
                    number(row, "longestOutageMs")}).as(e.getKey()).containsExactly(want);
            assertThat(((Number) row.get("uptimeRatio")).doubleValue()).as(e.getKey())
                    .isEqualTo((double) want[1] / want[0]);
        }
        assertThat(first.get("d0@" + (day0 + DAY)).get("uptimeRatio")).isEqualTo(1.0);
        assertThat(first.get("d1@" + (day0 + DAY)).get("uptimeRatio")).isEqualTo(0.0);
        // and the second run changed nothing
        assertThat(second).isEqualTo(first);
    }

    private static void run(AvailabilityJobConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AvailabilityJob.build(env, config);
        env.execute(AvailabilityJob.JOB_NAME);
    }

    /**
     * A device's presence from {@code start} to {@code end}: stretches of minutes to hours up (seen every minute) and
     * down, as the real-time job writes them: online when heard again, offline with the time last heard, written five
     * minutes later; d1's first outage lasts until {@code outageUntil}. Times are whole seconds, so counting seconds is
     * exact.
     */
    private static List<Sent> history(String deviceId, int d, long start, long end, long outageUntil,
            Random random) {
        List<Sent> out = new ArrayList<>();
        long t = start;
        boolean up = true;
        while (t < end) {
            long length;
            if (d == 0) {
                length = end - t;
            } else if (d == 1 && !up && t < outageUntil) {
                length = outageUntil - t;
            } else {
                length = (60 + random.nextInt(6 * 3600)) * SECOND;
            }
            if (up) {
                out.add(new Sent(DeviceEvent.presence(DeviceEvent.Kind.ONLINE, "acme", deviceId, t), t));
                for (long s = t + MINUTE; s < t + length && s < end; s += MINUTE) {
                    out.add(new Sent(DeviceEvent.presence(DeviceEvent.Kind.SEEN, "acme", deviceId, s), s));
                }
            } else {
                out.add(new Sent(DeviceEvent.presence(DeviceEvent.Kind.OFFLINE, "acme", deviceId, t), t + 5 * MINUTE));
            }
            t += length;
            up = !up;
        }
        return out;
    }

    /** Per day with a known second: known ms, up ms, outages overlapping the day, longest down run in the day. */
    private static Map<String, long[]> countedBySeconds(List<Sent> history, long from, long to) {
        Map<String, long[]> out = new TreeMap<>();
        String deviceId = history.get(0).event().deviceId();
        int next = 0;
        Boolean up = null;
        for (long day = from; day < to; day += DAY) {
            long known = 0;
            long upMs = 0;
            long outages = 0;
            long longest = 0;
            long run = 0;
            boolean downBefore = false;
            for (long s = day; s < day + DAY; s += SECOND) {
                while (next < history.size() && history.get(next).event().ts() <= s) {
                    up = history.get(next++).event().kind() != DeviceEvent.Kind.OFFLINE;
                }
                if (up == null) {
                    continue;
                }
                known += SECOND;
                if (up) {
                    upMs += SECOND;
                    run = 0;
                    downBefore = false;
                } else {
                    if (!downBefore) {
                        outages++;
                    }
                    run += SECOND;
                    longest = Math.max(longest, run);
                    downBefore = true;
                }
            }
            if (known > 0) {
                out.put(deviceId + "@" + day, new long[] {known, upMs, outages, longest});
            }
        }
        return out;
    }

    private static long number(Map<String, Object> row, String field) {
        return ((Number) row.get(field)).longValue();
    }

    /** Every point of availability_1d by deviceId@dayStart. */
    private static Map<String, Map<String, Object>> rows() {
        QueryResult result = influx.query(new Query("SELECT * FROM \"rp_1d\".\"availability_1d\" GROUP BY *", DB),
                TimeUnit.MILLISECONDS);
        assertThat(result.getError()).isNull();
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        for (QueryResult.Result r : result.getResults()) {
            assertThat(r.getError()).isNull();
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                for (List<Object> values : s.getValues()) {
                    Map<String, Object> row = new TreeMap<>(s.getTags());
                    for (int i = 0; i < s.getColumns().size(); i++) {
                        row.put(s.getColumns().get(i), values.get(i));
                    }
                    rows.put(row.get("deviceId") + "@" + ((Number) row.get("time")).longValue(), row);
                }
            }
        }
        return rows;
    }
}
