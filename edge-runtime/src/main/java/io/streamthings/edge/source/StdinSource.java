package io.streamthings.edge.source;

import io.streamthings.common.telemetry.BatchDecodeResult;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** One JSON record (or array of records) per line of an input stream, standard input by default. */
public final class StdinSource implements Source {

    private final InputStream in;
    private final LineDecoder decoder = new LineDecoder();
    private Thread thread;

    public StdinSource() {
        this(System.in);
    }

    public StdinSource(InputStream in) {
        this.in = in;
    }

    @Override
    public String name() {
        return "stdin";
    }

    @Override
    public void start(SourceSink sink) {
        thread = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    for (BatchDecodeResult.Accepted a : decoder.decode(name(), line, sink)) {
                        sink.accept(a.record(), this, -1);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                sink.rejected(name(), "reading stopped: " + e.getMessage());
            }
        }, "source-stdin");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
