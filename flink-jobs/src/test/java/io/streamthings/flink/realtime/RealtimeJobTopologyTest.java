package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The production topology of {@link RealtimeJob#build}, between a bounded source and collecting sinks on the local
 * environment at parallelism 2: no Kafka, no InfluxDB. At the end of the input the watermark passes every window, so
 * each window fires once with all its readings.
 */
class RealtimeJobTopologyTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_764_131_040_000L; // on a minute
    private static final TelemetryCodec CODEC = new TelemetryCodec();
    /** telemetry.raw as Kafka would hand it to the source: stamped records in event-time order, one not ours. */
    private static final byte[][] RAW = {
        stamped("d-1", T0 + 1_000, 10.0),
        stamped("d-2", T0 + 5_000, 5.0),
        "not telemetry".getBytes(StandardCharsets.UTF_8),
        stamped("d-1", T0 + 20_000, 20.0),
        stamped("d-1", T0 + MINUTE + 10_000, 30.0),
    };

    @Test
    void shouldAggregateEachDevicesWindowsPassRawPointsAndDeadLetterWhatDoesNotDecode() throws Exception {
        // Given the production topology between a bounded source and collecting sinks
        RealtimeJobConfig config = RealtimeJobConfig.builder()
                .set(RealtimeJobConfig.Option.PARALLELISM, 2)
                .set(RealtimeJobConfig.Option.WINDOW_SIZE_MS, MINUTE)
                .set(RealtimeJobConfig.Option.SEEN_INTERVAL_MS, 0)
                .build();
        CollectingSink<TelemetryEvent> raw = new CollectingSink<>("topology-raw");
        CollectingSink<WindowAggregate> windowPoints = new CollectingSink<>("topology-window-points");
        CollectingSink<WindowAggregate> windowRecords = new CollectingSink<>("topology-window-records");
        CollectingSink<MetricSample> late = new CollectingSink<>("topology-late");
        CollectingSink<DeviceEvent> events = new CollectingSink<>("topology-events");
        CollectingSink<DecodedRecord> deadLetters = new CollectingSink<>("topology-dlq");
        DataGeneratorSource<DecodedRecord> source = new DataGeneratorSource<>(
                RealtimeJobTopologyTest::decoded, RAW.length, TypeInformation.of(DecodedRecord.class));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RealtimeJob.build(env, config,
                new RealtimeEndpoints(source, raw, windowPoints, windowRecords, late, events, deadLetters));

        // When the job runs to the end of its input
        env.execute("realtime-topology");

        // Then each device's minute holds its readings, in both window outputs
        for (List<WindowAggregate> windows : List.of(windowPoints.collected(), windowRecords.collected())) {
            assertThat(lastFirings(windows)).extracting(WindowAggregate::deviceId, WindowAggregate::windowStart,
                            WindowAggregate::count, WindowAggregate::min, WindowAggregate::max)
                    .containsExactly(
                            tuple("d-1", T0, 2L, 10.0, 20.0),
                            tuple("d-1", T0 + MINUTE, 1L, 30.0, 30.0),
                            tuple("d-2", T0, 1L, 5.0, 5.0));
        }
        // and every decoded record is a raw point, the other a dead letter, none late
        assertThat(raw.collected()).extracting(TelemetryEvent::deviceId, TelemetryEvent::ts)
                .containsExactlyInAnyOrder(tuple("d-1", T0 + 1_000), tuple("d-2", T0 + 5_000),
                        tuple("d-1", T0 + 20_000), tuple("d-1", T0 + MINUTE + 10_000));
        assertThat(deadLetters.collected()).hasSize(1);
        assertThat(deadLetters.collected().get(0).isOk()).isFalse();
        assertThat(late.collected()).isEmpty();
        // and each device's first reading brings it online
        assertThat(events.collected()).filteredOn(e -> e.kind() == DeviceEvent.Kind.ONLINE)
                .extracting(DeviceEvent::deviceId).containsExactlyInAnyOrder("d-1", "d-2");
    }

    /** The generator's element at an index: what the Kafka source's deserializer makes of that record. */
    private static DecodedRecord decoded(long index) {
        byte[] value = RAW[(int) index];
        return new Decoding().decode(null, value, T0);
    }

    private static byte[] stamped(String deviceId, long ts, double temperature) {
        return CODEC.encodeStamped(new StampedTelemetry("acme", "thermo", deviceId, ts + 100,
                new TelemetryRecord(ts, Map.of("temperature", temperature), Map.of())));
    }

    /** The last firing of each window, ordered by device and window. */
    private static List<WindowAggregate> lastFirings(List<WindowAggregate> windows) {
        return windows.stream()
                .collect(Collectors.toMap(w -> w.deviceId() + "@" + w.windowStart(), Function.identity(),
                        (a, b) -> a.firing() >= b.firing() ? a : b))
                .values().stream()
                .sorted(Comparator.comparing(WindowAggregate::deviceId).thenComparing(WindowAggregate::windowStart))
                .toList();
    }
}
