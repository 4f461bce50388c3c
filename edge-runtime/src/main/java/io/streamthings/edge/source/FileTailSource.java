package io.streamthings.edge.source;

import io.streamthings.common.telemetry.BatchDecodeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows a file as it grows ({@code tail -F}), one JSON record (or array) per line; a line is read once it ends with
 * a newline. The position after the last line whose output is in the queue is kept in an offset file, so a restart
 * (after {@code kill -9} too) resumes there: lines are neither skipped nor, but for a crash in the instant between the
 * queue's write and the offset's, read twice. A file that shrinks (truncated, replaced) is read again from its start.
 */
public final class FileTailSource implements Source {

    private static final long POLL_MS = 50;

    private final Path file;
    private final Path offsetFile;
    private final LineDecoder decoder = new LineDecoder();
    private FileChannel offsets;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param offsetDir where the offset file is kept (one per followed file)
     */
    public FileTailSource(Path file, Path offsetDir) {
        this.file = file;
        this.offsetFile = offsetDir.resolve("file-" + Integer.toHexString(file.toAbsolutePath().toString().hashCode())
                + ".offset");
    }

    @Override
    public String name() {
        return "file:" + file;
    }

    @Override
    public void start(SourceSink sink) throws IOException {
        Files.createDirectories(offsetFile.getParent());
        offsets = FileChannel.open(offsetFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ByteBuffer b = ByteBuffer.allocate(8);
        long start = offsets.read(b, 0) == 8 ? b.flip().getLong() : 0;
        running = true;
        thread = new Thread(() -> follow(sink, start), "source-file");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(SourceSink sink, long start) {
        long pos = start;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (running) {
                if (!Files.exists(file)) {
                    Thread.sleep(POLL_MS);
                    continue;
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    if (ch.size() < pos) {
                        pos = 0; // truncated or replaced: a new file
                        line.reset();
                    }
                    long lineStart = pos;
                    int n;
                    buf.clear();
                    long readAt = pos + line.size();
                    while (running && (n = ch.read(buf, readAt)) > 0) {
                        buf.flip();
                        for (int i = 0; i < n; i++) {
                            byte c = buf.get(i);
                            if (c == '\n') {
                                long end = lineStart + line.size() + 1;
                                String text = line.toString(StandardCharsets.UTF_8);
                                line.reset();
                                if (!text.isBlank()) {
                                    for (BatchDecodeResult.Accepted a : decoder.decode(name(), text, sink)) {
                                        sink.accept(a.record(), this, end);
                                    }
                                }
                                lineStart = end;
                            } else {
                                line.write(c);
                            }
                        }
                        readAt += n;
                        buf.clear();
                    }
                    pos = lineStart;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            sink.rejected(name(), "reading stopped: " + e.getMessage());
        }
    }

    @Override
    public void commit(long position) {
        try {
            offsets.write(ByteBuffer.allocate(8).putLong(0, position), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the position in " + offsetFile, e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (offsets != null) {
                offsets.close();
            }
        } catch (IOException e) {
            // closing: nothing more to record
        }
    }
}
