package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Level 2: the operator chained to the source, with Flink's test harness, its clock in the test's hands. */
class SeriesBatchOperatorTest {

    private static final long MINUTE = 60_000;

    private OneInputStreamOperatorTestHarness<DecodedRecord, SeriesBatch> harness;

    private void open(boolean raw) throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new SeriesBatchOperator(MINUTE, 128, 100, raw, 300_000));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static DecodedRecord record(String device, long ts, double temperature, String... tags) {
        String[] keys = new String[tags.length / 2];
        String[] values = new String[tags.length / 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = tags[2 * i];
            values[i] = tags[2 * i + 1];
        }
        return DecodedRecord.ok(new TelemetryEvent("acme", "thermo", device, ts + 20, ts,
                new String[] {"temperature"}, new double[] {temperature}, keys, values));
    }

    private <T> List<T> side(OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> out = harness.getSideOutput(tag);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void shouldSendUndecodableRecordsToTheirSideOutputAndCountThem() throws Exception {
        open(false);
        DecodedRecord bad = DecodedRecord.failed("acme/d9", new byte[] {1});
        harness.processElement(bad, 0);
        // (the harness hands copies out, hence the comparison by fields)
        assertThat(side(SeriesBatchOperator.UNDECODABLE)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(bad);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(SeriesBatchOperator.SEEN)).isEmpty();
    }

    @Test
    void shouldPassRecordsToTheRawPointsOnlyWhenTheyAreOn() throws Exception {
        open(true);
        DecodedRecord r = record("d1", 1_000, 20.0);
        harness.processElement(r, 1_000);
        assertThat(side(SeriesBatchOperator.RAW)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(r.event());
        harness.close();

        open(false);
        harness.processElement(record("d1", 1_000, 20.0), 1_000);
        assertThat(side(SeriesBatchOperator.RAW)).isEmpty();
    }

    @Test
    void shouldReleaseAWindowsBatchesBeforeTheWatermarkThatClosesItAndEverythingBeforeACheckpoint()
            throws Exception {
        open(false);
        harness.processElement(record("d1", 1_000, 20.0), 1_000);
        harness.processElement(record("d1", 2_000, 21.0), 2_000);
        harness.processElement(record("d1", MINUTE + 1_000, 22.0), MINUTE + 1_000);
        assertThat(harness.getOutput()).isEmpty();

        harness.processWatermark(new Watermark(MINUTE - 1));
        List<Object> out = List.copyOf(harness.getOutput());
        assertThat(out).hasSize(2);
        SeriesBatch first = (SeriesBatch) ((StreamRecord<?>) out.get(0)).getValue();
        assertThat(first.values()).containsExactly(20.0, 21.0);
        assertThat(((StreamRecord<?>) out.get(0)).getTimestamp()).as("the batch's greatest event time")
                .isEqualTo(2_000);
        assertThat(out.get(1)).isEqualTo(new Watermark(MINUTE - 1));

        harness.prepareSnapshotPreBarrier(1);
        assertThat(harness.extractOutputValues()).extracting(b -> b.values()[0]).containsExactly(20.0, 22.0);
    }

    @Test
    void shouldLetTheFirstSignOfLifeOfADeviceThroughThenOnePerThrottleInterval() throws Exception {
        open(false);
        // Given a device with a 2 s timeout (throttle 500 ms) and one with the default (throttle 1 s)
        harness.setProcessingTime(10_000);
        harness.processElement(record("fast", 1_000, 1, PresenceRules.OFFLINE_AFTER_TAG, "2000"), 1_000);
        harness.processElement(record("slow", 1_000, 1), 1_000);
        assertThat(side(SeriesBatchOperator.SEEN)).containsExactly(new DeviceSeen("acme", "fast", 1_020, 2_000),
                new DeviceSeen("acme", "slow", 1_020, 300_000));

        // When both send again 200 ms, then 600 ms later
        harness.setProcessingTime(10_200);
        harness.processElement(record("fast", 2_000, 1, PresenceRules.OFFLINE_AFTER_TAG, "2000"), 2_000);
        harness.processElement(record("slow", 2_000, 1), 2_000);
        harness.setProcessingTime(10_600);
        harness.processElement(record("fast", 3_000, 1, PresenceRules.OFFLINE_AFTER_TAG, "2000"), 3_000);
        harness.processElement(record("slow", 3_000, 1), 3_000);

        // Then only the fast one's interval has passed
        assertThat(side(SeriesBatchOperator.SEEN)).hasSize(3).last()
                .isEqualTo(new DeviceSeen("acme", "fast", 3_020, 2_000));
        harness.setProcessingTime(11_000);
        harness.processElement(record("slow", 4_000, 1), 4_000);
        assertThat(side(SeriesBatchOperator.SEEN)).hasSize(4).last()
                .isEqualTo(new DeviceSeen("acme", "slow", 4_020, 300_000));
    }
}
