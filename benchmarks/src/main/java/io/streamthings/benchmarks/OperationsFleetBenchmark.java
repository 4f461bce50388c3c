package io.streamthings.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.simulator.DeviceSimulator;
import io.streamthings.simulator.SimulatorConfig;
import io.streamthings.simulator.operations.OperationExecutor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Operations end to end against a running platform (the standalone one of {@code ./start.sh}, or started servers):
 * {@code devices} simulated devices (the device simulator's, one Paho connection each, in this JVM) enrolled into a
 * group and connected over MQTT, running the operations they receive; then
 *
 * <ol>
 *   <li>a group operation ({@code buzz}) POSTed to the group, timed until the rollout counts every device COMPLETED
 *       ({@code GET /operations/{id}} read every 100 ms), the time until the devices had all sent their last report
 *       beside it;
 *   <li>{@code latencyOps} operations to one online device, one after another: from the POST to the device holding the
 *       operation (same JVM, one clock) and from the POST to the server's {@code deliveredAt} (the PUBACK reached the
 *       platform; epoch ms on the same machine), p50 / p99 / max;
 *   <li>operations/s sustained: {@code clients} closed-loop clients POST single-device operations round-robin over the
 *       devices for {@code seconds}; the rate is the operations the devices reported COMPLETED over the time from
 *       the first POST to the last report.
 * </ol>
 *
 * <p>Arguments: {@code devices=1000 api=http://localhost:8080/api/v1 mqtt=tcp://localhost:1883 password=...
 * (or env STREAMTHINGS_ADMIN_PASSWORD, or passwordFile=data/initial-admin-password) latencyOps=200 clients=8
 * seconds=30 timeoutSeconds=120 prefix=opsbench out=results/operations-fleet.md}.
 */
public final class OperationsFleetBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUZZ = "{\"kind\":\"COMMAND\",\"code\":\"buzz\",\"params\":{}}";

    private final Settings s;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> receivedNanos = new ConcurrentHashMap<>();
    private String token;

    private OperationsFleetBenchmark(Settings s) {
        this.s = s;
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        int code = new OperationsFleetBenchmark(s).run();
        System.exit(code); // Paho and the HTTP client run non-daemon threads
    }

    private int run() throws Exception {
        double loadAtStart = loadAverage();
        token = login();
        String group = s.prefix + "-" + s.devices;
        SimulatorConfig sim = SimulatorConfig.parse(new String[] {"--api", s.api, "--mqtt", s.mqtt, "--token", token,
            "--devices", String.valueOf(s.devices), "--prefix", s.prefix, "--group", group, "--rate", "0",
            "--duration", "3600", "--progress", "60", "--connect-concurrency", String.valueOf(s.connectConcurrency)});
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<OperationExecutor> executorRef = new AtomicReference<>();
        AtomicReference<Throwable> simFailure = new AtomicReference<>();
        Thread simulator = new Thread(() -> {
            try {
                DeviceSimulator.run(sim, e -> {
                    executorRef.set(e);
                    ready.countDown();
                });
            } catch (Throwable t) {
                simFailure.set(t);
                ready.countDown();
            }
        }, "ops-bench-simulator");
        simulator.setDaemon(true);
        long connectStart = System.nanoTime();
        simulator.start();
        ready.await();
        if (simFailure.get() != null) {
            throw new IllegalStateException("the simulated devices did not start", simFailure.get());
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        OperationExecutor executor = executorRef.get();
        executor.listener((device, operationId) -> receivedNanos.putIfAbsent(operationId, System.nanoTime()));
        // The connections are up; a moment for the MQTT server to have seen every SUBSCRIBE is what the group
        // operation's deliveries need, and the platform's own "online" state is what it waits for.
        Thread.sleep(2_000);

        StringBuilder r = new StringBuilder();
        r.append("# Operations benchmark at fleet scale\n\n");
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(", against ")
                .append(s.api).append(" and ").append(s.mqtt).append("; ").append(String.format(Locale.ROOT,
                        "%,d", s.devices)).append(" simulated devices (one Eclipse Paho connection each, in the "
                        + "harness's JVM) connected in ").append(String.format(Locale.ROOT, "%.1f s", connectSeconds))
                .append(". Machine load average (1 min) at start: ")
                .append(String.format(Locale.ROOT, "%.1f", loadAtStart)).append(".\n\n");

        groupOperation(r, group, executor);
        latency(r);
        sustained(r, executor);
        r.append(String.format(Locale.ROOT, "%nLoad average (1 min) at end: %.1f. Devices: %s.%n", loadAverage(),
                describe(executor)));

        System.out.println(r);
        Path out = Path.of(s.out);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, r.toString());
        System.out.println("Written to " + out.toAbsolutePath());
        return 0;
    }

    /** One group operation, POST to every device COMPLETED in the rollout's counts. */
    private void groupOperation(StringBuilder r, String group, OperationExecutor executor) throws Exception {
        long completedBefore = executor.completed();
        long t0 = System.nanoTime();
        HttpResponse<String> created = post("/groups/" + enc(group) + "/operations", BUZZ);
        double postMs = (System.nanoTime() - t0) / 1e6;
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST group operation answered " + created.statusCode() + ": "
                    + created.body());
        }
        String rollout = JSON.readTree(created.body()).path("id").asText();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(s.timeoutSeconds);
        double devicesDoneSeconds = Double.NaN;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (Double.isNaN(devicesDoneSeconds) && executor.completed() - completedBefore >= s.devices) {
                devicesDoneSeconds = (System.nanoTime() - t0) / 1e9;
            }
            last = JSON.readTree(get("/operations/" + enc(rollout)).body());
            if (last.path("counts").path("COMPLETED").asLong() >= s.devices
                    || !"RUNNING".equals(last.path("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        double allSeconds = (System.nanoTime() - t0) / 1e9;
        long completed = last == null ? 0 : last.path("counts").path("COMPLETED").asLong();
        r.append("## A group operation to every device\n\n");
        r.append("| measurement | value |\n|---|---:|\n");
        r.append(String.format(Locale.ROOT, "| devices in the group | %,d |%n", s.devices));
        r.append(String.format(Locale.ROOT, "| POST /groups/{id}/operations answered (201, rollout %s) | %.0f ms |%n",
                rollout, postMs));
        r.append(String.format(Locale.ROOT, "| POST to every device's COMPLETED report sent (device side) | %s |%n",
                Double.isNaN(devicesDoneSeconds) ? "not reached" : String.format(Locale.ROOT, "%.2f s",
                        devicesDoneSeconds)));
        r.append(String.format(Locale.ROOT, "| POST to the rollout counting %s COMPLETED | %.2f s%s |%n",
                completed >= s.devices ? "all" : String.format(Locale.ROOT, "%,d of %,d", completed, s.devices),
                allSeconds, completed >= s.devices ? "" : " (timed out or stopped: " + last + ")"));
        r.append("| rollout counts at the end | `").append(last == null ? "-" : last.path("counts")).append("` |\n\n");
    }

    /** Sequential operations to one device: POST to the device holding it, and to the server's deliveredAt. */
    private void latency(StringBuilder r) throws Exception {
        String device = s.prefix + "-1";
        long[] toDevice = new long[s.latencyOps];
        long[] toDelivered = new long[s.latencyOps];
        List<String> ids = new ArrayList<>();
        List<Long> postWallMs = new ArrayList<>();
        int missing = 0;
        for (int i = 0; i < s.latencyOps; i++) {
            long wall = System.currentTimeMillis();
            long t0 = System.nanoTime();
            HttpResponse<String> created = post("/devices/" + enc(device) + "/operations", BUZZ);
            if (created.statusCode() != 201) {
                throw new IllegalStateException("POST device operation answered " + created.statusCode() + ": "
                        + created.body());
            }
            String id = JSON.readTree(created.body()).path("id").asText();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Long at;
            while ((at = receivedNanos.get(id)) == null && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (at == null) {
                missing++;
                toDevice[i] = Long.MAX_VALUE;
            } else {
                toDevice[i] = at - t0;
            }
            ids.add(id);
            postWallMs.add(wall);
        }
        // deliveredAt is the server's record of the PUBACK; read once the last operation had time to finish.
        Thread.sleep(1_000);
        int noDelivered = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode op = JSON.readTree(get("/operations/" + enc(ids.get(i))).body());
            String deliveredAt = op.path("deliveredAt").asText(null);
            if (deliveredAt == null) {
                noDelivered++;
                toDelivered[i] = Long.MAX_VALUE;
            } else {
                toDelivered[i] = TimeUnit.MILLISECONDS.toNanos(Instant.parse(deliveredAt).toEpochMilli()
                        - postWallMs.get(i));
            }
        }
        Latencies device1 = new Latencies(finite(toDevice), 1, missing, 0);
        Latencies server = new Latencies(finite(toDelivered), 1, noDelivered, 0);
        r.append("## POST to DELIVERED, one online device, ").append(s.latencyOps)
                .append(" operations one after another\n\n");
        r.append("| measured to | operations | missing | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        r.append(String.format(Locale.ROOT, "| the device holding the operation (one clock, ns) | %d | %d | %.1f | %.1f "
                + "| %.1f |%n", device1.count(), missing, device1.percentileMs(0.5), device1.percentileMs(0.99),
                device1.percentileMs(1.0)));
        r.append(String.format(Locale.ROOT, "| the server's deliveredAt (its record of the PUBACK, ms) | %d | %d | "
                + "%.0f | %.0f | %.0f |%n%n", server.count(), noDelivered, server.percentileMs(0.5),
                server.percentileMs(0.99), server.percentileMs(1.0)));
    }

    /** Closed-loop clients POST operations round-robin over the devices; the devices' COMPLETED reports are counted. */
    private void sustained(StringBuilder r, OperationExecutor executor) throws Exception {
        long completedBefore = executor.completed();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(s.seconds);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(s.clients);
        for (int c = 0; c < s.clients; c++) {
            clients.add(CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < end) {
                    String device = s.prefix + "-" + (1 + Math.floorMod(next.getAndIncrement(), s.devices));
                    try {
                        HttpResponse<String> created = post("/devices/" + enc(device) + "/operations", BUZZ);
                        (created.statusCode() == 201 ? accepted : refused).incrementAndGet();
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        pool.shutdown();
        double postSeconds = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.timeoutSeconds);
        while (executor.completed() - completedBefore < accepted.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double allSeconds = (System.nanoTime() - t0) / 1e9;
        long completed = executor.completed() - completedBefore;
        r.append("## Operations/s sustained\n\n");
        r.append(String.format(Locale.ROOT, "%d closed-loop clients POSTed single-device `buzz` operations round-robin "
                + "over the %,d devices for %d s.%n%n", s.clients, s.devices, s.seconds));
        r.append("| measurement | value |\n|---|---:|\n");
        r.append(String.format(Locale.ROOT, "| operations accepted (201) / refused | %,d / %,d |%n", accepted.get(),
                refused.get()));
        r.append(String.format(Locale.ROOT, "| POSTs/s | %,.0f |%n", accepted.get() / postSeconds));
        r.append(String.format(Locale.ROOT, "| COMPLETED reported by the devices | %,d of %,d |%n", completed,
                accepted.get()));
        r.append(String.format(Locale.ROOT, "| operations/s, first POST to last COMPLETED report | %,.0f |%n",
                completed / allSeconds));
    }

    private static long[] finite(long[] values) {
        return java.util.Arrays.stream(values).filter(v -> v != Long.MAX_VALUE).toArray();
    }

    private static String describe(OperationExecutor e) {
        return String.format(Locale.ROOT, "received %,d (duplicates %,d), completed %,d, error %,d, rejected %,d",
                e.received(), e.duplicates(), e.completed(), e.failed(), e.rejected());
    }

    private String login() throws IOException, InterruptedException {
        String form = "grant_type=password&username=admin&password=" + URLEncoder.encode(s.password,
                StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.api + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(s.api + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(s.api + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The run's bounds, from key=value arguments. */
    private record Settings(int devices, String api, String mqtt, String password, int latencyOps, int clients,
            int seconds, int timeoutSeconds, String prefix, int connectConcurrency, String out) {

        static Settings parse(String[] args) throws IOException {
            Map<String, String> a = BenchmarkArgs.parse(args);
            String password = a.get("password");
            if (password == null && a.containsKey("passwordFile")) {
                password = Files.readString(Path.of(a.get("passwordFile"))).trim();
            }
            if (password == null) {
                password = System.getenv("STREAMTHINGS_ADMIN_PASSWORD");
            }
            if (password == null || password.isBlank()) {
                throw new IllegalArgumentException("give password=, passwordFile= or STREAMTHINGS_ADMIN_PASSWORD");
            }
            return new Settings(
                    Integer.parseInt(a.getOrDefault("devices", "1000")),
                    a.getOrDefault("api", "http://localhost:8080/api/v1"),
                    a.getOrDefault("mqtt", "tcp://localhost:1883"),
                    password,
                    Integer.parseInt(a.getOrDefault("latencyOps", "200")),
                    Integer.parseInt(a.getOrDefault("clients", "8")),
                    Integer.parseInt(a.getOrDefault("seconds", "30")),
                    Integer.parseInt(a.getOrDefault("timeoutSeconds", "120")),
                    a.getOrDefault("prefix", "opsbench"),
                    Integer.parseInt(a.getOrDefault("connectConcurrency", "200")),
                    a.getOrDefault("out", "results/operations-fleet.md"));
        }
    }
}
