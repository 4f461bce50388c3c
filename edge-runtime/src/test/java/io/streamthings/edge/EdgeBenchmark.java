package io.streamthings.edge;

import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.edge.rules.EdgeRuleSpec;
import io.streamthings.edge.rules.RuleEngine;
import io.streamthings.edge.source.SimulatedSource;
import io.streamthings.rules.apps.ShippedApp;
import io.streamthings.rules.apps.ShippedApps;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.engine.TimeMode;
import io.streamthings.simulator.SignalModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The edge runtime's figures, written to {@code benchmarks/results/edge.md} by {@code benchmarks/run.sh edge}:
 *
 * <ul>
 *   <li>events/s through the real path (simulated sensors, as fast as they go, through the rules, alerts into the
 *       on-disk queue with fsync) with one and with five shipped rules, each in a JVM of its own at {@code -Xmx64m},
 *       with that JVM's resident memory;
 *   <li>start time of the packaged jar, from JVM start to its first (persisted) rule running, a few runs each with
 *       the default JIT, with C1 only, and with an AppCDS archive;
 *   <li>upstream records and messages for a day of 1 Hz readings with the five rules and a one-minute mean, against
 *       raw forwarding (one message a reading).
 * </ul>
 *
 * {@code java EdgeBenchmark out=FILE [seconds=15] [warmup=15] [startRuns=5]} (CPU seconds of the measured JVM); a
 * child run is {@code EdgeBenchmark child rules=N seconds=S warmup=W [mode=live|playback] [only=app,app]}.
 */
public final class EdgeBenchmark {

    /** The five shipped apps that run on one device's readings (site-overheat correlates a site's devices). */
    static final List<String> FIVE = List.of("threshold-hysteresis", "n-in-a-row", "rate-of-change",
            "moving-average-crossing", "device-silent");

    private EdgeBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
        }
        if (a.containsKey("child")) {
            List<String> names = a.containsKey("only") ? List.of(a.get("only").split(","))
                    : Integer.parseInt(a.get("rules")) == 1 ? List.of(FIVE.get(0)) : FIVE;
            child(names, a.getOrDefault("mode", "live"), Integer.parseInt(a.get("seconds")),
                    Integer.parseInt(a.get("warmup")));
            System.exit(0);
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "15"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "15"));
        int startRuns = Integer.parseInt(a.getOrDefault("startRuns", "5"));
        Path out = Path.of(a.getOrDefault("out", "edge.md"));
        StringBuilder md = new StringBuilder();
        md.append("# Edge runtime figures\n\n").append("Run by `benchmarks/run.sh edge` on ")
                .append(java.time.LocalDate.now()).append(", Java ").append(System.getProperty("java.version"))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(String.format(Locale.ROOT, "%.1f", loadAverage())).append(" at the start (the machine is ")
                .append("shared: figures vary with it).\n\n");

        md.append("## Throughput at -Xmx64m\n\n")
                .append("Simulated sensors as fast as they go -> the rules (LIVE, wall clock) -> alerts into the ")
                .append("on-disk queue (fsync once per batch of up to 1,024 events); no broker (the uplink keeps ")
                .append("trying to connect). A warm-up of ").append(warmup).append(" CPU seconds of the JVM, then ")
                .append(seconds).append(" CPU seconds measured (at most four times as many wall seconds each); each ")
                .append("row a JVM of its own (`-Xmx64m`).\n\n")
                .append("Events per CPU second is the events over the CPU time the whole JVM used meanwhile (sensor ")
                .append("simulation, rules, queue, JIT, GC): the rate one core would give it alone, a figure the ")
                .append("load of a shared machine disturbs less than events/s; cores used says how much CPU the ")
                .append("run got.\n\n")
                .append("| rules | events/s | events per CPU second | cores used | alerts queued | heap used at end "
                        + "(MiB) | resident (VmRSS, MiB) | peak resident (VmHWM, MiB) |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (int rules : new int[] {1, 5}) {
            Map<String, String> r = runChild(rules, seconds, warmup);
            md.append("| ").append(rules == 1 ? "1 (threshold-hysteresis)" : "5 (" + String.join(", ", FIVE) + ")")
                    .append(" | ").append(r.get("eventsPerSecond")).append(" | ").append(r.get("eventsPerCpuSecond"))
                    .append(" | ").append(r.get("cores")).append(" | ").append(r.get("alerts"))
                    .append(" | ").append(r.get("heapMiB")).append(" | ").append(r.get("rssMiB")).append(" | ")
                    .append(r.get("hwmMiB")).append(" |\n");
        }

        md.append("\n## Start time\n\nThe packaged jar (`java -Xmx64m -jar edge-runtime.jar`) with one persisted ")
                .append("rule in its data folder, from JVM start to that rule running (the runtime's own `edge-runtime ")
                .append("started` line, which also says when `main` was entered), ").append(startRuns)
                .append(" runs each; median and range.\n\n| JVM options | first rule running, median (ms) | range (ms) | "
                        + "main entered, median (ms) |\n|---|---|---|---|\n");
        Path jar = Path.of("..", "edge-runtime", "target", "edge-runtime.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            jar = Path.of("target", "edge-runtime.jar").toAbsolutePath();
        }
        Path work = Files.createTempDirectory("edge-bench");
        Path jsa = work.resolve("edge.jsa");
        makeArchive(jar, work, jsa);
        List<List<String>> variants = new ArrayList<>(List.of(List.of(), List.of("-XX:TieredStopAtLevel=1")));
        if (Files.exists(jsa)) {
            variants.add(List.of("-XX:SharedArchiveFile=" + jsa));
            variants.add(List.of("-XX:SharedArchiveFile=" + jsa, "-XX:TieredStopAtLevel=1"));
        }
        for (List<String> flags : variants) {
            List<Long> first = new ArrayList<>();
            List<Long> main = new ArrayList<>();
            for (int i = 0; i < startRuns; i++) {
                long[] t = startOnce(jar, work, flags);
                first.add(t[0]);
                main.add(t[1]);
            }
            Collections.sort(first);
            Collections.sort(main);
            md.append("| `-Xmx64m").append(flags.isEmpty() ? "" : " " + String.join(" ", flags)
                    .replace(jsa.toString(), "edge.jsa")).append("` | ").append(first.get(first.size() / 2))
                    .append(" | ").append(first.get(0)).append("-").append(first.get(first.size() - 1)).append(" | ")
                    .append(main.get(main.size() / 2)).append(" |\n");
        }
        if (!Files.exists(jsa)) {
            md.append("\n(No AppCDS archive could be written here, so no row with one.)\n");
        }

        md.append("\n## Upstream traffic: rules on the device against raw forwarding\n\n");
        upstream(md);
        md.append("\nLoad average at the end: ").append(String.format(Locale.ROOT, "%.1f", loadAverage()))
                .append(".\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println(md);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static Map<String, String> runChild(int rules, int seconds, int warmup) throws Exception {
        Process p = new ProcessBuilder(javaBin(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                EdgeBenchmark.class.getName(), "child", "rules=" + rules, "seconds=" + seconds, "warmup=" + warmup)
                .redirectErrorStream(true).start();
        Map<String, String> result = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    for (String kv : line.substring(7).split(" ")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        p.waitFor();
        if (result.isEmpty()) {
            throw new IllegalStateException("the child run with " + rules + " rule(s) gave no result");
        }
        return result;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** One JVM at -Xmx64m: the real runtime, simulated sensors at full speed, measured by its own counters. */
    private static void child(List<String> names, String mode, int seconds, int warmup) throws Exception {
        Path data = Files.createTempDirectory("edge-bench-child");
        EdgeConfig config = EdgeConfig.of(Map.of("server", "tcp://127.0.0.1:1", "deviceId", "bench", "token", "t",
                "dataDir", data.toString(), "sources", List.of("simulated:0"), "healthIntervalMs", "3600000",
                "timeMode", mode));
        EdgeRuntime runtime = new EdgeRuntime(config, List.of(new SimulatedSource(0, 42, 0.001)));
        for (String name : names) {
            ShippedApp app = ShippedApps.named(name);
            String status = runtime.engine().deploy(new EdgeRuleSpec(name, 1, EdgeRuleSpec.Action.DEPLOY, false,
                    app.appText())).status();
            if (!status.equals("COMPLETED")) {
                throw new IllegalStateException(name + ": " + status);
            }
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        runtime.start();
        // Warm-up and measurement are counted in the CPU time the JVM got, not on the wall clock: on a shared machine
        // a few wall seconds may be a fraction of a CPU second, too little for the JIT to have compiled the hot path.
        awaitCpu(os, warmup);
        long in0 = runtime.eventsIn();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        awaitCpu(os, seconds);
        long in1 = runtime.eventsIn();
        long cpu1 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        long alerts = (Long) runtime.counters().get("alertsQueued");
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Map<String, Long> status = procStatus();
        System.out.printf(Locale.ROOT, "RESULT eventsPerSecond=%,d eventsPerCpuSecond=%,d cores=%.2f alerts=%,d "
                + "heapMiB=%.1f rssMiB=%.1f hwmMiB=%.1f%n",
                (long) ((in1 - in0) / ((t1 - t0) / 1e9)), (long) ((in1 - in0) / ((cpu1 - cpu0) / 1e9)),
                (cpu1 - cpu0) / (double) (t1 - t0), alerts, heap / 1048576.0,
                status.getOrDefault("VmRSS", 0L) / 1024.0, status.getOrDefault("VmHWM", 0L) / 1024.0);
        System.out.flush();
        System.exit(0); // the sources and the uplink would go on: nothing to close cleanly here
    }

    /** Waits until the JVM has used this many more CPU seconds, or four times as many wall seconds have passed. */
    private static void awaitCpu(com.sun.management.OperatingSystemMXBean os, int cpuSeconds)
            throws InterruptedException {
        long cpuEnd = os.getProcessCpuTime() + cpuSeconds * 1_000_000_000L;
        long wallEnd = System.nanoTime() + cpuSeconds * 4_000_000_000L;
        while (os.getProcessCpuTime() < cpuEnd && System.nanoTime() < wallEnd) {
            Thread.sleep(100);
        }
    }

    /** Fields of /proc/self/status in kB. */
    private static Map<String, Long> procStatus() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return m;
        }
        for (String line : Files.readAllLines(status)) {
            String[] parts = line.split("\\s+");
            if (parts.length >= 3 && parts[2].equals("kB")) {
                m.put(parts[0].replace(":", ""), Long.parseLong(parts[1]));
            }
        }
        return m;
    }

    private static Path dataWithOneRule(Path work) throws IOException {
        Path data = Files.createTempDirectory(work, "start");
        Files.createDirectories(data.resolve("rules"));
        ShippedApp app = ShippedApps.named(FIVE.get(0));
        Files.writeString(data.resolve("rules").resolve("r.json"),
                new EdgeRuleSpec("r", 1, EdgeRuleSpec.Action.DEPLOY, false, app.appText()).toJson());
        return data;
    }

    private static List<String> jarCommand(Path jar, Path data, List<String> flags) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx64m"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-jar", jar.toString(), "--server", "tcp://127.0.0.1:1", "--device-id", "bench",
                "--token", "t", "--data-dir", data.toString(), "--source", "simulated:1"));
        return cmd;
    }

    /** Starts the jar once: {first rule running, main entered} in ms after JVM start. */
    private static long[] startOnce(Path jar, Path work, List<String> flags) throws Exception {
        Process p = new ProcessBuilder(jarCommand(jar, dataWithOneRule(work), flags)).redirectErrorStream(true)
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("edge-runtime started: ")) {
                    java.util.regex.Matcher m = java.util.regex.Pattern
                            .compile("(\\d+) ms after JVM start \\(main at (\\d+) ms\\)").matcher(line);
                    if (!m.find()) {
                        throw new IllegalStateException("unexpected start line: " + line);
                    }
                    if (!line.contains(" 1 rule(s) running")) {
                        throw new IllegalStateException("the persisted rule did not start: " + line);
                    }
                    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
                }
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        throw new IllegalStateException("the runtime ended before it started");
    }

    /** A dynamic AppCDS archive of the classes a start loads (Java 13+): written when the JVM exits on SIGTERM. */
    private static void makeArchive(Path jar, Path work, Path jsa) throws Exception {
        List<String> flags = List.of("-XX:ArchiveClassesAtExit=" + jsa);
        try {
            startOnce(jar, work, flags);
        } catch (IllegalStateException e) {
            System.err.println("no AppCDS archive: " + e.getMessage());
        }
    }

    /**
     * A day of 1 Hz readings of one simulated device (the simulator's signal, anomalies at 0.1 %), in event time, through
     * the five rules, plus a one-minute mean of each metric: what would go up, against one message a reading.
     */
    private static void upstream(StringBuilder md) throws Exception {
        Path data = Files.createTempDirectory("edge-bench-upstream");
        int readings = 86_400;
        long start = 1_767_225_600_000L; // 2026-01-01T00:00Z
        RuleEngine engine = new RuleEngine(new RuleCompiler(), new DeviceIdentity("acme", "edge", "bench"),
                TimeMode.PLAYBACK, data, () -> 0L);
        for (String name : FIVE) {
            engine.deploy(new EdgeRuleSpec(name, 1, EdgeRuleSpec.Action.DEPLOY, false,
                    ShippedApps.named(name).appText()));
        }
        Downsampler minute = new Downsampler(60_000);
        SignalModel model = new SignalModel(42, 0.001, start);
        long alerts = 0;
        long means = 0;
        List<TelemetryRecord> one = new ArrayList<>(1);
        for (int i = 0; i < readings; i++) {
            long ts = start + i * 1_000L;
            TelemetryRecord r = TelemetryRecord.of(ts, model.readings(ts));
            one.clear();
            one.add(r);
            engine.process(one, ts);
            alerts += engine.drainAlerts().size();
            minute.add(r);
            if (minute.due(ts) != null) {
                means++;
            }
        }
        engine.close();
        long records = alerts + means;
        md.append("One simulated device, ").append(String.format(Locale.ROOT, "%,d", readings))
                .append(" readings (a day at 1 Hz, three metrics each, the simulator's anomalies at 0.1 %) played ")
                .append("in event time through the five rules, with a one-minute mean of each metric sent as ")
                .append("telemetry. The runtime sends one message per batch of queued records (up to 500); a ")
                .append("device whose link is up sends each record about as it comes, so messages are at most the ")
                .append("records below.\n\n| | upstream messages | of which alerts | of which telemetry |\n")
                .append("|---|---|---|---|\n")
                .append(String.format(Locale.ROOT, "| raw forwarding (one message a reading) | %,d | 0 | %,d |%n",
                        readings, readings))
                .append(String.format(Locale.ROOT, "| edge rules + one-minute means (at most) | %,d | %,d | %,d |%n",
                        records, alerts, means))
                .append(String.format(Locale.ROOT, "%nUpstream messages saved: %.1f %% (a factor of %.0f).%n",
                        100.0 * (1 - (double) records / readings), (double) readings / Math.max(1, records)));
    }
}
