package io.streamthings.edge.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundQueueTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000);

    private OutboundQueue open(long maxBytes, long maxAgeMs, long segmentBytes) throws IOException {
        return new OutboundQueue(dir, maxBytes, maxAgeMs, segmentBytes, true, clock::get);
    }

    private static OutboundQueue.Item alert(String text) {
        return new OutboundQueue.Item(QueuedRecord.Kind.ALERT, text.getBytes(StandardCharsets.UTF_8));
    }

    private static OutboundQueue.Item telemetry(String text) {
        return new OutboundQueue.Item(QueuedRecord.Kind.TELEMETRY, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(List<QueuedRecord> records) {
        return records.stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
    }

    /** Everything the queue holds, oldest first, taken and acknowledged batch by batch. */
    private static List<String> drain(OutboundQueue q) throws Exception {
        List<String> out = new ArrayList<>();
        List<QueuedRecord> batch;
        while (!(batch = q.next(3, 1 << 20, 0)).isEmpty()) {
            out.addAll(texts(batch));
            q.acknowledged(batch);
        }
        return out;
    }

    @Test
    void shouldKeepRecordsAcrossReopenAndDrainThemInSequenceOrder() throws Exception {
        try (OutboundQueue q = open(1 << 20, 60_000, 64)) {
            q.append(List.of(alert("a1"), telemetry("t1")));
            q.append(List.of(telemetry("t2"), alert("a2"), alert("a3")));
            // the first batch is sent but not acknowledged when the process dies
            assertThat(texts(q.next(2, 1 << 20, 0))).containsExactly("a1", "t1");
        }
        try (OutboundQueue q = open(1 << 20, 60_000, 64)) {
            assertThat(q.stats().records()).isEqualTo(5);
            assertThat(drain(q)).containsExactly("a1", "t1", "t2", "a2", "a3");
            assertThat(q.stats().records()).isZero();
        }
    }

    @Test
    void shouldNeverGiveASequenceTwiceEvenAfterEverythingWasAcknowledgedAndReopened() throws Exception {
        long last;
        String epoch;
        try (OutboundQueue q = open(1 << 20, 60_000, 64)) {
            for (int i = 0; i < 20; i++) {
                q.append(List.of(alert("a" + i), telemetry("t" + i)));
            }
            drain(q);
            last = q.stats().lastSeq();
            epoch = q.epoch();
        }
        try (OutboundQueue q = open(1 << 20, 60_000, 64)) {
            long[] seqs = q.append(List.of(alert("after")));
            assertThat(seqs[0]).isGreaterThan(last);
            assertThat(q.epoch()).isEqualTo(epoch);
            // consumed segments are deleted, the last of each log stays to append to
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    void shouldDropTheOldestTelemetryBeforeAnyAlertPastTheByteBound() throws Exception {
        // each record: 8 header + 17 fixed + 2 payload = 27 bytes; room for 4
        try (OutboundQueue q = open(4 * 27, 60_000, 1 << 20)) {
            q.append(List.of(alert("a1"), telemetry("t1"), telemetry("t2"), alert("a2")));
            q.append(List.of(alert("a3")));
            assertThat(q.stats().droppedTelemetry()).isEqualTo(1);
            q.append(List.of(alert("a4")));
            assertThat(q.stats().droppedTelemetry()).isEqualTo(2);
            q.append(List.of(alert("a5")));
            // no telemetry left: now the oldest alert goes
            assertThat(q.stats().droppedAlerts()).isEqualTo(1);
            assertThat(drain(q)).containsExactly("a2", "a3", "a4", "a5");
            assertThat(q.stats().droppedBytes()).isEqualTo(3 * 27);
        }
    }

    @Test
    void shouldDropRecordsOlderThanTheAgeBound() throws Exception {
        try (OutboundQueue q = open(1 << 20, 1_000, 1 << 20)) {
            q.append(List.of(alert("old"), telemetry("t-old")));
            clock.addAndGet(600);
            q.append(List.of(alert("new")));
            clock.addAndGet(600);
            q.enforceBounds();
            assertThat(q.stats().droppedAlerts()).isEqualTo(1);
            assertThat(q.stats().droppedTelemetry()).isEqualTo(1);
            assertThat(q.stats().oldestAgeMs()).isEqualTo(600);
            assertThat(drain(q)).containsExactly("new");
        }
    }

    @Test
    void shouldRecoverFromATailCutShortByACrash() throws Exception {
        try (OutboundQueue q = open(1 << 20, 60_000, 1 << 20)) {
            q.append(List.of(alert("a1"), alert("a2"), alert("a3")));
        }
        Path log = dir.resolve(String.format("alerts-%020d.log", 1));
        long size = Files.size(log);
        // the last record's write was interrupted half-way
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }
        try (OutboundQueue q = open(1 << 20, 60_000, 1 << 20)) {
            assertThat(q.stats().truncatedBytes()).isEqualTo(27 - 10);
            assertThat(q.stats().records()).isEqualTo(2);
            long[] seqs = q.append(List.of(alert("a4")));
            assertThat(seqs[0]).isEqualTo(3); // a3 never made it: its sequence is given again, nobody saw it
            assertThat(drain(q)).containsExactly("a1", "a2", "a4");
        }
    }

    @Test
    void shouldStopAtARecordWhoseChecksumFails() throws Exception {
        try (OutboundQueue q = open(1 << 20, 60_000, 1 << 20)) {
            q.append(List.of(alert("a1"), alert("a2"), alert("a3")));
        }
        Path log = dir.resolve(String.format("alerts-%020d.log", 1));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), 27 + 26); // the last payload byte of a2
        }
        try (OutboundQueue q = open(1 << 20, 60_000, 1 << 20)) {
            assertThat(q.stats().truncatedBytes()).isEqualTo(2 * 27);
            assertThat(drain(q)).containsExactly("a1");
        }
    }

    @Test
    void shouldSendAnOperationStatusOnItsOwn() throws Exception {
        try (OutboundQueue q = open(1 << 20, 60_000, 1 << 20)) {
            q.append(List.of(alert("a1"), telemetry("t1")));
            q.append(List.of(new OutboundQueue.Item(QueuedRecord.Kind.STATUS, "s1".getBytes(StandardCharsets.UTF_8))));
            q.append(List.of(alert("a2")));
            List<QueuedRecord> first = q.next(10, 1 << 20, 0);
            assertThat(texts(first)).containsExactly("a1", "t1");
            q.acknowledged(first);
            List<QueuedRecord> second = q.next(10, 1 << 20, 0);
            assertThat(texts(second)).containsExactly("s1");
            q.acknowledged(second);
            assertThat(texts(q.next(10, 1 << 20, 0))).containsExactly("a2");
        }
    }

    @Test
    void shouldRefuseBoundsThatAreNotPositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes=0");
    }
}
