package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesBatcherTest {

    private static final long MINUTE = 60_000;

    private static TelemetryEvent event(String device, long ts, double temperature, double humidity) {
        return new TelemetryEvent("acme", "thermo", device, ts + 20, ts, new String[] {"temperature", "humidity"},
                new double[] {temperature, humidity}, new String[0], new String[0]);
    }

    @Test
    void shouldHoldReadingsUntilTheWatermarkClosesTheirWindowThenReleaseOneBatchPerSeriesInArrivalOrder() {
        // Given readings of one device in two windows
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 128, 1_000);
        List<SeriesBatch> out = new ArrayList<>();
        batcher.add(event("d1", 1_000, 20.0, 40.0), Long.MIN_VALUE, out::add);
        batcher.add(event("d1", 9_000, 25.0, 41.0), Long.MIN_VALUE, out::add);
        batcher.add(event("d1", 5_000, 19.0, 42.0), Long.MIN_VALUE, out::add);
        batcher.add(event("d1", 61_000, 23.0, 44.0), Long.MIN_VALUE, out::add);
        assertThat(out).isEmpty();
        assertThat(batcher.held()).isEqualTo(8);

        // When the watermark reaches the last millisecond of the first window, but not of the second
        batcher.releaseUpTo(MINUTE - 2, out::add);
        assertThat(out).isEmpty();
        batcher.releaseUpTo(MINUTE - 1, out::add);

        // Then the first window's series are released, their readings in arrival order
        assertThat(out).hasSize(2);
        SeriesBatch temperature = out.stream().filter(b -> b.metric().equals("temperature")).findFirst().orElseThrow();
        assertThat(temperature.values()).containsExactly(20.0, 25.0, 19.0);
        assertThat(temperature.ts()).containsExactly(1_000, 9_000, 5_000);
        assertThat(temperature.receivedAt()).containsExactly(1_020, 9_020, 5_020);
        assertThat(temperature.deviceType()).isEqualTo("thermo");
        assertThat(batcher.held()).isEqualTo(2);

        // And everything else is released on demand (before a checkpoint)
        batcher.releaseAll(out::add);
        assertThat(out).hasSize(4);
        assertThat(batcher.held()).isZero();
    }

    @Test
    void shouldPassAReadingOnAtOnceAndAloneWhenItsWindowIsAlreadyClosedHere() {
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 128, 1_000);
        List<SeriesBatch> out = new ArrayList<>();
        batcher.add(event("d1", 10_000, 26.0, 45.0), MINUTE + 5_000, out::add);
        assertThat(out).extracting(SeriesBatch::size).containsExactly(1, 1);
        assertThat(out.get(0).sample(0)).isEqualTo(new MetricSample("acme", "thermo", "d1", "temperature", 26.0,
                10_000, 10_020));
        assertThat(batcher.held()).isZero();
    }

    @Test
    void shouldReleaseABatchWhenFullAndEverythingWhenTooMuchIsHeld() {
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 3, 100);
        List<SeriesBatch> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batcher.add(event("d1", i * 1_000, i, i), Long.MIN_VALUE, out::add);
        }
        assertThat(out).extracting(SeriesBatch::size).containsExactly(3, 3);
        assertThat(batcher.held()).isEqualTo(2);

        SeriesBatcher small = new SeriesBatcher(MINUTE, 128, 10);
        List<SeriesBatch> released = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            small.add(event("d" + i, 1_000, i, i), Long.MIN_VALUE, released::add);
        }
        assertThat(released).hasSize(10);
        assertThat(small.held()).isZero();
    }

    @Test
    void shouldGiveTheSameWindowStatsAsReadingByReadingAggregationWhateverTheBatchBoundaries() {
        // Given 1,000 readings of one series in one window (enough to thin the p95 sample), in a scrambled order
        Random random = new Random(7);
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            events.add(event("d1", random.nextInt(60) * 1_000, random.nextGaussian() * 10, random.nextDouble()));
        }
        WindowStats single = new WindowStats();
        for (TelemetryEvent e : events) {
            single.add(e.metricValues()[0], e.ts(), e.receivedAt(), e.deviceType());
        }

        // When they go through batches of up to 37 readings, released early as before checkpoints
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 37, 1_000_000);
        WindowStats batched = new WindowStats();
        for (int i = 0; i < events.size(); i++) {
            batcher.add(events.get(i), Long.MIN_VALUE, b -> add(batched, b));
            if (i % 101 == 0) {
                batcher.releaseAll(b -> add(batched, b));
            }
        }
        batcher.releaseAll(b -> add(batched, b));

        // Then every figure is identical, to the bit
        WindowAggregate expected = single.toAggregate("acme", "d1", "temperature", 0, MINUTE, 0);
        assertThat(batched.toAggregate("acme", "d1", "temperature", 0, MINUTE, 0)).isEqualTo(expected);
    }

    @Test
    void shouldKeepOneEntryPerDeviceAcrossWindowsAndStartAfreshWhenTheTableIsFull() {
        // Given a table of at most 2 devices
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 128, 1_000, 2);
        List<SeriesBatch> out = new ArrayList<>();
        SeriesBatcher.Device d1 = batcher.add(event("d1", 1_000, 20.0, 40.0), Long.MIN_VALUE, out::add);
        d1.signOfLifeAt(5);

        // When the device sends in the next window, after the first was released
        batcher.releaseUpTo(MINUTE - 1, out::add);
        SeriesBatcher.Device again = batcher.add(event("d1", MINUTE + 1_000, 21.0, 41.0), MINUTE - 1, out::add);

        // Then it is the same entry, with its sign-of-life time
        assertThat(again).isSameAs(d1);
        assertThat(again.lastSignOfLifeAt()).isEqualTo(5);
        assertThat(batcher.add(event("d2", MINUTE + 2_000, 1, 1), MINUTE - 1, out::add).lastSignOfLifeAt())
                .isEqualTo(Long.MIN_VALUE);
        assertThat(batcher.devices()).isEqualTo(2);

        // And a third device clears the table: d1 starts afresh, its held readings still released in order
        batcher.add(event("d3", MINUTE + 3_000, 2, 2), MINUTE - 1, out::add);
        assertThat(batcher.devices()).isEqualTo(1);
        SeriesBatcher.Device fresh = batcher.add(event("d1", MINUTE + 4_000, 22.0, 42.0), MINUTE - 1, out::add);
        assertThat(fresh).isNotSameAs(d1);
        out.clear();
        batcher.releaseAll(out::add);
        assertThat(out.stream().filter(b -> b.deviceId().equals("d1") && b.metric().equals("temperature"))
                .flatMapToDouble(b -> java.util.Arrays.stream(b.values())).toArray()).containsExactly(21.0, 22.0);
        assertThat(batcher.held()).isZero();
    }

    @Test
    void shouldBatchTenantsApartAndRecordsWithOtherMetrics() {
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 128, 1_000);
        List<SeriesBatch> out = new ArrayList<>();
        batcher.add(event("d1", 1_000, 20.0, 40.0), Long.MIN_VALUE, out::add);
        batcher.add(new TelemetryEvent("other", "thermo", "d1", 2_020, 2_000, new String[] {"temperature"},
                new double[] {30.0}, new String[0], new String[0]), Long.MIN_VALUE, out::add);
        batcher.add(new TelemetryEvent("acme", "thermo", "d1", 3_020, 3_000, new String[] {"pressure", "humidity"},
                new double[] {1013.0, 45.0}, new String[0], new String[0]), Long.MIN_VALUE, out::add);
        batcher.releaseAll(out::add);
        assertThat(out).extracting(b -> b.tenant() + "/" + b.deviceId() + "/" + b.metric() + "=" + b.size())
                .containsExactlyInAnyOrder("acme/d1/temperature=1", "acme/d1/humidity=2", "acme/d1/pressure=1",
                        "other/d1/temperature=1");
        assertThat(batcher.devices()).isEqualTo(2);
    }

    @Test
    void shouldKeepEachBatchsReadingsWhenLaterBatchesOfItsSeriesAreBuilt() {
        // Given a series whose batches fill exactly (the size of the previous one), and one that does not
        SeriesBatcher batcher = new SeriesBatcher(MINUTE, 128, 10_000);
        List<SeriesBatch> out = new ArrayList<>();
        for (int window = 0; window < 3; window++) {
            int readings = window == 2 ? 7 : 10;
            for (int i = 0; i < readings; i++) {
                long ts = window * MINUTE + i * 1_000;
                batcher.add(event("d1", ts, window * 100 + i, 0), Long.MIN_VALUE, out::add);
            }
            // When each window is released before the next one starts
            batcher.releaseUpTo((window + 1) * MINUTE - 1, out::add);
        }

        // Then every batch holds its own readings, exactly, untouched by the batches built after it
        List<SeriesBatch> temperature = out.stream().filter(b -> b.metric().equals("temperature")).toList();
        assertThat(temperature).extracting(SeriesBatch::size).containsExactly(10, 10, 7);
        for (int window = 0; window < 3; window++) {
            SeriesBatch batch = temperature.get(window);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(batch.values()[i]).isEqualTo(window * 100 + i);
                assertThat(batch.ts()[i]).isEqualTo(window * MINUTE + i * 1_000);
                assertThat(batch.receivedAt()[i]).isEqualTo(window * MINUTE + i * 1_000 + 20);
            }
        }
        assertThat(temperature.get(0).values()).isNotSameAs(temperature.get(1).values());
    }

    private static void add(WindowStats stats, SeriesBatch batch) {
        if (batch.metric().equals("temperature")) {
            stats.addAll(batch);
        }
    }
}
