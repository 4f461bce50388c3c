package io.streamthings.edge.rules;

import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.compile.RuleRejectedException;
import io.streamthings.rules.engine.EmittedAlert;
import io.streamthings.rules.engine.RuleCounters;
import io.streamthings.rules.engine.RuleInstance;
import io.streamthings.rules.engine.TimeMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules running on this device, and their deployment. Events go through every rule on one thread
 * ({@link #process}); a deployment compiles and starts the new version beside the old one, then, between two batches
 * of events, moves the old version's state over if asked and swaps the two: the old version handles every event up to
 * the swap, the new one every event after it. A deployment that fails at any step leaves the old version running and
 * says why. Deployed rules are written to {@code <dataDir>/rules/<ruleId>.json} (written to a temporary file, fsynced,
 * renamed) before the old version goes, and started again by {@link #resume} after a restart, with empty state.
 *
 * <p>What rules emit is encoded as {@link AlertCodec} alerts (source {@code edge}, the device's identity) and waits in
 * {@link #drainAlerts} for the caller to queue it: rules may emit from Siddhi's timer threads too.
 */
public final class RuleEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

    private final RuleCompiler compiler;
    private final DeviceIdentity identity;
    private final TimeMode mode;
    private final Path rulesDir;
    private final LongSupplier clock;
    private final Object swapLock = new Object();
    /** Replaced, never changed in place: {@link #process} reads it under the swap lock, health reads it freely. */
    private volatile Map<String, Deployed> rules = Map.of();
    private final ConcurrentLinkedQueue<byte[]> emitted = new ConcurrentLinkedQueue<>();

    /** A running version of a rule. */
    public record Deployed(EdgeRuleSpec spec, CompiledRule compiled, RuleInstance instance) {}

    /** Counters of one running rule, for health reports. */
    public record RuleHealth(String ruleId, String name, long version, RuleCounters counters) {}

    public RuleEngine(RuleCompiler compiler, DeviceIdentity identity, TimeMode mode, Path dataDir, LongSupplier clock)
            throws IOException {
        this.compiler = compiler;
        this.identity = identity;
        this.mode = mode;
        this.rulesDir = dataDir.resolve("rules");
        this.clock = clock;
        Files.createDirectories(rulesDir);
    }

    /** Starts the rules persisted by earlier runs; one that no longer compiles is logged and left out. */
    public int resume() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(rulesDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        int started = 0;
        for (Path file : files) {
            try {
                EdgeRuleSpec spec = EdgeRuleSpec.parse(Files.readString(file, StandardCharsets.UTF_8));
                DeployOutcome outcome = deploy(spec);
                if (outcome.status().equals("COMPLETED")) {
                    started++;
                } else {
                    LOG.warn("Persisted rule {} did not start: {}", file.getFileName(), outcome.message());
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("Persisted rule {} is unreadable: {}", file.getFileName(), e.getMessage());
            }
        }
        return started;
    }

    /**
     * Deploys or removes a rule version. Never throws for a bad rule: the outcome says what happened.
     */
    public DeployOutcome deploy(EdgeRuleSpec spec) {
        Deployed current = rules.get(spec.ruleId());
        long running = current == null ? 0 : current.spec().version();
        if (current != null && spec.version() < running) {
            return DeployOutcome.rejected("version " + spec.version() + " is older than the running version "
                    + running, running);
        }
        if (spec.action() == EdgeRuleSpec.Action.REMOVE) {
            return remove(spec, current);
        }
        if (current != null && spec.version() == running && spec.app().equals(current.spec().app())) {
            return DeployOutcome.completed(running); // the same deployment again (a resent operation)
        }
        CompiledRule compiled;
        try {
            compiled = compiler.compile(spec.app());
        } catch (RuleRejectedException e) {
            return DeployOutcome.error(e.getMessage(), e.line().isPresent() ? e.line().getAsInt() : null,
                    e.column().isPresent() ? e.column().getAsInt() : null, running);
        }
        RuleInstance instance;
        try {
            instance = RuleInstance.start(compiler.manager(), compiled, identity.tenant(), mode, this::emit);
        } catch (RuntimeException e) {
            return DeployOutcome.error(e.getMessage(), null, null, running);
        }
        Deployed next = new Deployed(spec, compiled, instance);
        synchronized (swapLock) {
            Deployed old = rules.get(spec.ruleId());
            if (old != null && spec.carryState()) {
                try {
                    instance.restore(old.instance().snapshot());
                } catch (RuntimeException e) {
                    instance.close();
                    return DeployOutcome.error("the old version's state does not fit the new one: " + e.getMessage()
                            + " (deploy with state reset)", null, null, running);
                }
            }
            try {
                persist(spec);
            } catch (IOException e) {
                instance.close();
                return DeployOutcome.error("cannot persist the rule: " + e.getMessage(), null, null, running);
            }
            Map<String, Deployed> copy = new LinkedHashMap<>(rules);
            copy.put(spec.ruleId(), next);
            rules = Map.copyOf(copy);
            if (old != null) {
                old.instance().close();
            }
        }
        LOG.info("Rule {} version {} running ({})", spec.ruleId(), spec.version(), compiled.name());
        return DeployOutcome.completed(spec.version());
    }

    private DeployOutcome remove(EdgeRuleSpec spec, Deployed current) {
        synchronized (swapLock) {
            try {
                Files.deleteIfExists(rulesDir.resolve(spec.ruleId() + ".json"));
            } catch (IOException e) {
                return DeployOutcome.error("cannot remove the persisted rule: " + e.getMessage(), null, null,
                        current == null ? 0 : current.spec().version());
            }
            if (current != null) {
                Map<String, Deployed> copy = new LinkedHashMap<>(rules);
                copy.remove(spec.ruleId());
                rules = Map.copyOf(copy);
                current.instance().close();
            }
        }
        return DeployOutcome.completed(0);
    }

    private void persist(EdgeRuleSpec spec) throws IOException {
        Path tmp = rulesDir.resolve(spec.ruleId() + ".json.tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(spec.toJson().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, rulesDir.resolve(spec.ruleId() + ".json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Sends records through every rule, in order. Call from one thread. */
    public void process(List<TelemetryRecord> records, long receivedAt) {
        StampedTelemetry[] stamped = new StampedTelemetry[records.size()];
        for (int i = 0; i < stamped.length; i++) {
            stamped[i] = StampedTelemetry.stamp(identity, records.get(i), receivedAt);
        }
        synchronized (swapLock) {
            for (Deployed d : rules.values()) {
                RuleInstance instance = d.instance();
                for (StampedTelemetry s : stamped) {
                    instance.offer(s);
                }
            }
        }
    }

    private void emit(EmittedAlert a) {
        AlertEvent alert = new AlertEvent(identity.tenant(), "edge", a.rule(), identity.deviceId(), a.severity(),
                a.message(), a.ts(), clock.getAsLong(), a.values());
        emitted.add(AlertCodec.encode(alert));
    }

    /** Takes the alerts emitted so far, in order. */
    public List<byte[]> drainAlerts() {
        List<byte[]> out = new ArrayList<>();
        byte[] a;
        while ((a = emitted.poll()) != null) {
            out.add(a);
        }
        return out;
    }

    /** The running rules. */
    public Map<String, Deployed> rules() {
        return rules;
    }

    /** Each running rule's version and counters. */
    public List<RuleHealth> health() {
        List<RuleHealth> out = new ArrayList<>();
        for (Deployed d : rules.values()) {
            out.add(new RuleHealth(d.spec().ruleId(), d.compiled().name(), d.spec().version(),
                    d.instance().counters()));
        }
        return out;
    }

    @Override
    public void close() {
        synchronized (swapLock) {
            for (Deployed d : rules.values()) {
                d.instance().close();
            }
            rules = Map.of();
        }
    }
}
