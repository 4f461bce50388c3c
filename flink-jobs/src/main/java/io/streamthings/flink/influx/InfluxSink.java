package io.streamthings.flink.influx;

import io.streamthings.common.influx.LineProtocol;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink Sink V2 that writes points to InfluxDB 1.x through influxdb-java, in batches into one retention policy. The
 * points are written as line protocol straight into the batch ({@link LineProtocol}), which goes to InfluxDB as one
 * request body: no {@code Point} objects are built and formatted on the way.
 *
 * <p>Delivery is at-least-once and the result exactly-once: the writer flushes its buffer on every checkpoint (before
 * the checkpoint can complete), so nothing acknowledged by a checkpoint is lost; after a restore, the records since that
 * checkpoint are written again, and because InfluxDB stores one value per series, field and timestamp, the replayed
 * points overwrite their first copies instead of adding to them. The points must therefore take their timestamps from
 * the data, never from the wall clock.
 *
 * <p>Errors: a server or network error fails the writer (the job restarts from its last checkpoint and replays); a
 * write InfluxDB will never accept (e.g. points older than the retention policy) is counted in
 * {@code influxPointsRejected}, logged, and skipped, so one bad batch cannot make the job restart forever.
 *
 * @param <T> the element type
 */
public final class InfluxSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String database;
    private final String retentionPolicy;
    private final int batchSize;
    private final long flushIntervalMs;
    private final LineMapper<T> mapper;
    private final InfluxSetup setup;

    /**
     * @param url InfluxDB base URL
     * @param database the database
     * @param retentionPolicy the retention policy every point goes to
     * @param batchSize points per write request
     * @param flushIntervalMs longest time a point waits in the buffer, ms
     * @param mapper element to points, in line protocol
     * @param setup run once by each writer before its first write
     */
    public InfluxSink(String url, String database, String retentionPolicy, int batchSize, long flushIntervalMs,
            LineMapper<T> mapper, InfluxSetup setup) {
        this.url = Objects.requireNonNull(url, "url");
        this.database = Objects.requireNonNull(database, "database");
        this.retentionPolicy = Objects.requireNonNull(retentionPolicy, "retentionPolicy");
        if (batchSize < 1 || flushIntervalMs < 1) {
            throw new IllegalArgumentException("batchSize and flushIntervalMs must be positive");
        }
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.setup = Objects.requireNonNull(setup, "setup");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                .writeTimeout(60, TimeUnit.SECONDS);
        InfluxDB influx = InfluxDBFactory.connect(url, http);
        try {
            setup.apply(influx);
        } catch (RuntimeException e) {
            influx.close();
            throw e;
        }
        return new Writer<>(influx, database, retentionPolicy, batchSize, flushIntervalMs, mapper,
                context.getProcessingTimeService(), context.metricGroup().counter("influxPointsWritten"),
                context.metricGroup().counter("influxPointsRejected"));
    }

    /** The writer of one subtask; all its methods run in the task's mailbox thread, timers included. */
    static final class Writer<T> implements SinkWriter<T> {

        private static final Logger LOG = LoggerFactory.getLogger(InfluxSink.class);

        private final InfluxDB influx;
        private final String database;
        private final String retentionPolicy;
        private final int batchSize;
        private final long flushIntervalMs;
        private final LineMapper<T> mapper;
        private final ProcessingTimeService time;
        private final Counter written;
        private final Counter rejected;
        private final LineProtocol buffer;
        // One write in flight on a thread of its own, so the task thread (which runs the chained source and
        // decoding too) keeps working while InfluxDB takes a batch; memory stays bounded to two batches.
        private final ExecutorService io = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "influx-writer");
            thread.setDaemon(true);
            return thread;
        });
        private Future<?> inFlight = CompletableFuture.completedFuture(null);
        private boolean closed;

        Writer(InfluxDB influx, String database, String retentionPolicy, int batchSize, long flushIntervalMs,
                LineMapper<T> mapper, ProcessingTimeService time, Counter written, Counter rejected) {
            this.influx = influx;
            this.database = database;
            this.retentionPolicy = retentionPolicy;
            this.batchSize = batchSize;
            this.flushIntervalMs = flushIntervalMs;
            this.mapper = mapper;
            this.time = time;
            this.written = written;
            this.rejected = rejected;
            // About 150 characters a point: sized for a full batch of raw points, so it rarely grows.
            this.buffer = new LineProtocol(Math.min(batchSize, 20_000) * 160);
            scheduleFlush();
        }

        @Override
        public void write(T element, Context context) throws IOException {
            mapper.toLines(element, buffer);
            if (buffer.lines() >= batchSize) {
                writeBuffer();
            }
        }

        /**
         * Called before every checkpoint and at the end of input: nothing stays buffered or in flight past a
         * checkpoint.
         */
        @Override
        public void flush(boolean endOfInput) throws IOException {
            writeBuffer();
            awaitInFlight();
        }

        @Override
        public void close() {
            // Points still buffered or in flight here belong to no completed checkpoint: a restore replays them.
            closed = true;
            io.shutdownNow();
            influx.close();
        }

        private void scheduleFlush() {
            // A quiet stream must still reach InfluxDB promptly, not only at the next checkpoint.
            time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMs, t -> {
                if (!closed) {
                    writeBuffer();
                    scheduleFlush();
                }
            });
        }

        private void writeBuffer() throws IOException {
            if (buffer.isEmpty()) {
                return;
            }
            int n = buffer.lines();
            String batch = buffer.take();
            awaitInFlight();
            inFlight = io.submit(() -> {
                send(batch, n);
                return null;
            });
        }

        private void send(String batch, int n) throws IOException {
            try {
                influx.write(database, retentionPolicy, InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, batch);
                written.inc(n);
            } catch (InfluxDBException e) {
                if (e.isRetryWorth()) {
                    throw new IOException("InfluxDB write of " + n + " points to " + database + "." + retentionPolicy
                            + " failed: " + e.getMessage(), e);
                }
                rejected.inc(n);
                LOG.warn("InfluxDB refused a batch of {} points to {}.{} ({}); the batch is skipped", n, database,
                        retentionPolicy, e.getMessage());
            }
        }

        /** Waits for the write in flight; its failure fails this writer, so the job restarts and replays. */
        private void awaitInFlight() throws IOException {
            try {
                inFlight.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException("InfluxDB write failed: " + cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for an InfluxDB write", e);
            }
        }
    }
}
