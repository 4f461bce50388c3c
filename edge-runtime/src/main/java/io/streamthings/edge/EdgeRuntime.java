package io.streamthings.edge;

import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.edge.queue.OutboundQueue;
import io.streamthings.edge.queue.QueuedRecord;
import io.streamthings.edge.rules.RuleEngine;
import io.streamthings.edge.source.FileTailSource;
import io.streamthings.edge.source.HttpSource;
import io.streamthings.edge.source.SimulatedSource;
import io.streamthings.edge.source.Source;
import io.streamthings.edge.source.SourceSink;
import io.streamthings.edge.source.StdinSource;
import io.streamthings.edge.uplink.Uplink;
import io.streamthings.rules.compile.RuleCompiler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge runtime: sources feed a bounded hand-off (a full one blocks the sources), one thread runs each batch of
 * records through the rules and appends what they emit (plus downsampled telemetry) to the on-disk queue, and the
 * {@link Uplink} sends the queue to the platform and takes rule deployments from it.
 */
public final class EdgeRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeRuntime.class);
    private static final int HANDOFF = 8_192;
    private static final int BATCH = 1_024;

    private final EdgeConfig config;
    private final List<Source> sources;
    private final OutboundQueue queue;
    private final RuleEngine engine;
    private final Uplink uplink;
    private final BlockingQueue<Input> input = new ArrayBlockingQueue<>(HANDOFF);
    private final Downsampler downsampler;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final LongAdder eventsIn = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder alertsQueued = new LongAdder();
    private final LongAdder telemetryQueued = new LongAdder();
    private final java.nio.channels.FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;
    private volatile boolean running;
    private Thread worker;

    private record Input(TelemetryRecord record, Source from, long position) {}

    /**
     * Opens the queue and the rule store in the data folder; nothing runs before {@link #start}.
     *
     * @throws IllegalStateException when another runtime holds the data folder
     */
    public EdgeRuntime(EdgeConfig config, List<Source> sources) throws IOException {
        java.nio.file.Files.createDirectories(config.dataDir());
        // two runtimes on one folder would give the same sequences twice and read each other's half-written records
        this.lockChannel = java.nio.channels.FileChannel.open(config.dataDir().resolve("lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        this.lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("another edge runtime uses " + config.dataDir().toAbsolutePath());
        }
        this.config = config;
        this.sources = List.copyOf(sources);
        this.queue = new OutboundQueue(config.dataDir().resolve("queue"), config.queueMaxBytes(),
                config.queueMaxAgeMs(), config.segmentBytes(), config.fsync(), System::currentTimeMillis);
        this.engine = new RuleEngine(new RuleCompiler(), new DeviceIdentity(config.tenant(), config.deviceType(),
                config.deviceId()), config.timeMode(), config.dataDir(), System::currentTimeMillis);
        this.downsampler = config.downsampleMs() > 0 ? new Downsampler(config.downsampleMs()) : null;
        this.uplink = new Uplink(config, queue, engine, this);
    }

    /** The sources a configuration names. */
    public static List<Source> sources(EdgeConfig config) {
        List<Source> out = new ArrayList<>();
        for (String s : config.sources()) {
            if (s.equals("stdin")) {
                out.add(new StdinSource());
            } else if (s.startsWith("file:")) {
                out.add(new FileTailSource(java.nio.file.Path.of(s.substring(5)), config.dataDir().resolve("sources")));
            } else if (s.startsWith("http:")) {
                String rest = s.substring(5);
                int colon = rest.lastIndexOf(':');
                out.add(new HttpSource(colon < 0 ? "127.0.0.1" : rest.substring(0, colon),
                        Integer.parseInt(rest.substring(colon + 1))));
            } else if (s.startsWith("simulated")) {
                double rate = s.equals("simulated") ? 1 : Double.parseDouble(s.substring(10));
                out.add(new SimulatedSource(rate, config.deviceId().hashCode(), 0.01));
            }
        }
        return out;
    }

    /** Resumes the persisted rules, then starts the worker, the sources and the uplink. */
    public void start() throws Exception {
        int resumed = engine.resume();
        if (resumed > 0) {
            LOG.info("{} rule(s) resumed from {}", resumed, config.dataDir().resolve("rules"));
        }
        running = true;
        worker = new Thread(this::work, "edge-rules");
        worker.start();
        SourceSink sink = new SourceSink() {
            @Override
            public void accept(TelemetryRecord record, Source from, long position) throws InterruptedException {
                input.put(new Input(record, from, position));
            }

            @Override
            public void rejected(String source, String reason) {
                rejected.increment();
                LOG.warn("{}: not telemetry: {}", source, reason);
            }
        };
        for (Source s : sources) {
            s.start(sink);
        }
        uplink.start();
    }

    private void work() {
        List<Input> batch = new ArrayList<>(BATCH);
        List<TelemetryRecord> records = new ArrayList<>(BATCH);
        Map<Source, Long> positions = new IdentityHashMap<>();
        while (running) {
            try {
                Input first = input.poll(200, TimeUnit.MILLISECONDS);
                batch.clear();
                records.clear();
                if (first != null) {
                    batch.add(first);
                    input.drainTo(batch, BATCH - 1);
                }
                for (Input in : batch) {
                    records.add(in.record());
                    if (in.position() >= 0) {
                        positions.put(in.from(), in.position());
                    }
                }
                long now = System.currentTimeMillis();
                if (!records.isEmpty()) {
                    eventsIn.add(records.size());
                    engine.process(records, now);
                }
                List<OutboundQueue.Item> out = new ArrayList<>();
                for (byte[] alert : engine.drainAlerts()) {
                    out.add(new OutboundQueue.Item(QueuedRecord.Kind.ALERT, alert));
                }
                alertsQueued.add(out.size());
                if (downsampler != null) {
                    for (TelemetryRecord r : records) {
                        downsampler.add(r);
                    }
                    TelemetryRecord mean = downsampler.due(now);
                    if (mean != null) {
                        out.add(new OutboundQueue.Item(QueuedRecord.Kind.TELEMETRY, codec.encode(mean)));
                        telemetryQueued.increment();
                    }
                }
                if (!out.isEmpty()) {
                    queue.append(out);
                }
                // Only now may a source resume past these records: what the rules made of them is in the queue.
                for (Map.Entry<Source, Long> p : positions.entrySet()) {
                    p.getKey().commit(p.getValue());
                }
                positions.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // The queue could not be written (a full disk): the batch's sources are not committed, so a file
                // source reads it again after a restart; the runtime goes on with the next batch.
                LOG.error("A batch of {} records could not be queued", batch.size(), e);
            }
        }
    }

    /** Appends an operation status to the queue (it goes up in order with the rest, and survives a restart). */
    public void queueStatus(byte[] statusJson) throws IOException {
        queue.append(List.of(new OutboundQueue.Item(QueuedRecord.Kind.STATUS, statusJson)));
    }

    /** The figures of the health report that belong to the runtime rather than the uplink. */
    public Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventsIn", eventsIn.sum());
        m.put("rejectedInput", rejected.sum());
        m.put("alertsQueued", alertsQueued.sum());
        m.put("telemetryQueued", telemetryQueued.sum());
        return m;
    }

    public long eventsIn() {
        return eventsIn.sum();
    }

    public RuleEngine engine() {
        return engine;
    }

    public OutboundQueue queue() {
        return queue;
    }

    public Uplink uplink() {
        return uplink;
    }

    @Override
    public void close() {
        for (Source s : sources) {
            s.close();
        }
        running = false;
        if (worker != null) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        uplink.close();
        engine.close();
        queue.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the process is going away: the lock goes with it
        }
    }
}
