package io.streamthings.edge.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of records in segment files, consumed from its head. One record on disk:
 *
 * <pre>int bodyLength | int crc32c(body) | body = long seq | byte kind | long appendedAtMs | payload</pre>
 *
 * <p>The head is a sequence number in {@code <name>.head}: every record at or below it is gone (sent or dropped).
 * It is written (no fsync) on every removal, which a {@code kill -9} cannot lose (the page cache stays); it is fsynced
 * before a consumed segment file is deleted, so that after a power cut the log never forgets how far its sequences
 * went. At worst, records removed in the last moments before a power cut come back and are sent again; the platform
 * drops them by sequence.
 *
 * <p>On open, each segment is read through: the first record that is short, too long or fails its CRC ends the
 * segment (a write cut by a crash) and the file is truncated there. Not thread-safe: {@link OutboundQueue} locks.
 */
final class SegmentLog implements AutoCloseable {

    static final int HEADER = 8;
    static final int BODY_FIXED = 17;
    /** Larger than any record we write: a length beyond it is garbage, not a record. */
    static final int MAX_BODY = 16 * 1024 * 1024;

    private final Path dir;
    private final String name;
    private final long segmentBytes;
    private final boolean fsync;
    private final FileChannel head;
    private final List<Segment> segments = new ArrayList<>();
    /** Position of the first live record in segments.get(0). */
    private long readPos;
    private long floor;
    private long maxSeq;
    private long liveBytes;
    private long liveCount;
    private long truncatedBytes;
    /** The head record, read once and kept until it is removed. */
    private QueuedRecord headRecord;

    private static final class Segment {
        final Path path;
        final FileChannel channel;
        long size;
        /** On open: the position of its first record above the floor, -1 when none. */
        long firstLive = -1;

        Segment(Path path, FileChannel channel, long size) {
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    SegmentLog(Path dir, String name, long segmentBytes, boolean fsync) throws IOException {
        this.dir = dir;
        this.name = name;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
        Files.createDirectories(dir);
        head = FileChannel.open(dir.resolve(name + ".head"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ByteBuffer b = ByteBuffer.allocate(8);
        if (head.read(b, 0) == 8) {
            floor = b.flip().getLong();
        }
        maxSeq = floor;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(name + "-")
                    && p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        for (Path file : files) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment segment = new Segment(file, ch, 0);
            segment.size = scan(segment);
            segments.add(segment);
        }
        // segments whose records are all gone: only the last one stays, to append to
        while (segments.size() > 1 && segments.get(0).firstLive < 0) {
            deleteFirst();
        }
        if (!segments.isEmpty()) {
            Segment first = segments.get(0);
            readPos = first.firstLive < 0 ? first.size : first.firstLive;
        }
    }

    /** Reads a segment through, counting live records and truncating a cut tail; returns its valid length. */
    private long scan(Segment segment) throws IOException {
        FileChannel ch = segment.channel;
        long pos = 0;
        long size = ch.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= size) {
            header.clear();
            ch.read(header, pos);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length < BODY_FIXED || length > MAX_BODY || pos + HEADER + length > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            ch.read(body, pos + HEADER);
            CRC32C c = new CRC32C();
            c.update(body.array(), 0, length);
            if ((int) c.getValue() != crc) {
                break;
            }
            long seq = body.getLong(0);
            maxSeq = Math.max(maxSeq, seq);
            if (seq > floor) {
                if (segment.firstLive < 0) {
                    segment.firstLive = pos;
                }
                liveBytes += HEADER + length;
                liveCount++;
            }
            pos += HEADER + length;
        }
        if (pos < size) {
            truncatedBytes += size - pos;
            ch.truncate(pos);
            ch.force(true);
        }
        return pos;
    }

    /** Appends records (already given their sequences, increasing); fsyncs once if the log was opened so. */
    void append(List<QueuedRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        Segment tail = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (tail == null || tail.size >= segmentBytes) {
            tail = newSegment(records.get(0).seq());
        }
        int total = 0;
        for (QueuedRecord r : records) {
            total += HEADER + BODY_FIXED + r.payload().length;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        CRC32C c = new CRC32C();
        for (QueuedRecord r : records) {
            int length = BODY_FIXED + r.payload().length;
            int start = out.position();
            out.putInt(length).putInt(0);
            out.putLong(r.seq()).put((byte) r.kind().ordinal()).putLong(r.appendedAt()).put(r.payload());
            c.reset();
            c.update(out.array(), start + HEADER, length);
            out.putInt(start + 4, (int) c.getValue());
            maxSeq = Math.max(maxSeq, r.seq());
        }
        out.flip();
        long pos = tail.size;
        while (out.hasRemaining()) {
            pos += tail.channel.write(out, pos);
        }
        tail.size = pos;
        liveBytes += total;
        liveCount += records.size();
        if (fsync) {
            tail.channel.force(false);
        }
    }

    private Segment newSegment(long firstSeq) throws IOException {
        Path path = dir.resolve(String.format("%s-%020d.log", name, firstSeq));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (fsync) {
            // the new file's name must survive a power cut too
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // some file systems cannot open a directory; the file's own fsync still holds its content
            }
        }
        Segment s = new Segment(path, ch, ch.size());
        if (segments.isEmpty()) {
            readPos = 0;
        }
        segments.add(s);
        return s;
    }

    /** The first live record, or null when the log is empty. */
    QueuedRecord peekHead() throws IOException {
        if (headRecord == null && liveCount > 0) {
            List<QueuedRecord> one = peek(1, Integer.MAX_VALUE);
            headRecord = one.isEmpty() ? null : one.get(0);
        }
        return headRecord;
    }

    /** Up to maxRecords live records from the head (at least one if any, whatever its size), without removing. */
    List<QueuedRecord> peek(int maxRecords, int maxBytes) throws IOException {
        List<QueuedRecord> out = new ArrayList<>();
        int bytes = 0;
        int seg = 0;
        long pos = readPos;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (out.size() < maxRecords && seg < segments.size()) {
            Segment s = segments.get(seg);
            if (pos + HEADER > s.size) {
                seg++;
                pos = 0;
                continue;
            }
            header.clear();
            s.channel.read(header, pos);
            int length = header.getInt(0);
            if (!out.isEmpty() && bytes + HEADER + length > maxBytes) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            while (body.hasRemaining()) {
                if (s.channel.read(body, pos + HEADER + body.position()) < 0) {
                    throw new IOException("segment " + s.path + " ends inside a record");
                }
            }
            body.flip();
            long seq = body.getLong();
            QueuedRecord.Kind kind = QueuedRecord.Kind.values()[body.get()];
            long appendedAt = body.getLong();
            byte[] payload = new byte[length - BODY_FIXED];
            body.get(payload);
            out.add(new QueuedRecord(seq, kind, appendedAt, payload));
            bytes += HEADER + length;
            pos += HEADER + length;
        }
        return out;
    }

    /** Removes every live record with a sequence at or below seq; returns how many. */
    int removeThrough(long seq) throws IOException {
        int removed = 0;
        while (liveCount > 0) {
            QueuedRecord h = peekHead();
            if (h == null || h.seq() > seq) {
                break;
            }
            removeHead(h);
            removed++;
        }
        return removed;
    }

    /** Removes the head record (sent, or dropped by a bound); returns it, null when the log is empty. */
    QueuedRecord removeHead() throws IOException {
        QueuedRecord h = peekHead();
        if (h != null) {
            removeHead(h);
        }
        return h;
    }

    private void removeHead(QueuedRecord h) throws IOException {
        headRecord = null;
        int size = h.diskSize();
        readPos += size;
        liveBytes -= size;
        liveCount--;
        floor = Math.max(floor, h.seq());
        head.write(ByteBuffer.allocate(8).putLong(0, floor), 0);
        while (segments.size() > 1 && readPos >= segments.get(0).size) {
            deleteFirst();
        }
    }

    private void deleteFirst() throws IOException {
        head.force(false);
        Segment s = segments.remove(0);
        s.channel.close();
        Files.deleteIfExists(s.path);
        readPos = 0;
    }

    long liveBytes() {
        return liveBytes;
    }

    long liveCount() {
        return liveCount;
    }

    /** The highest sequence this log has seen, live or gone. */
    long maxSeq() {
        return maxSeq;
    }

    /** Bytes cut off segment tails on open (writes a crash interrupted). */
    long truncatedBytes() {
        return truncatedBytes;
    }

    @Override
    public void close() {
        try {
            head.force(false);
            head.close();
            for (Segment s : segments) {
                s.channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
