package io.streamthings.benchmarks;

import io.streamthings.devicemgmt.DeviceMgmtApplication;
import io.streamthings.embedded.EmbeddedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
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
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmark of the device management API: embedded PostgreSQL, an embedded Kafka broker and the real
 * application in this JVM, driven over loopback HTTP by 32 concurrent clients. Measures GET /devices/{id} and
 * POST /devices (requests per second, p50, p99) and one bulk enrollment of 10,000 devices, then prints the figures and
 * writes them to {@code results/device-mgmt.md}.
 *
 * <p>Arguments (all optional): {@code clients=32 enrollRequests=20000 getRequests=100000 seconds=60 bulk=10000
 * warmGets=5000 out=results/device-mgmt.md}.
 */
public final class DeviceMgmtBenchmark {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private DeviceMgmtBenchmark() {}

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        double loadAtStart = loadAverage();
        Path work = Files.createTempDirectory("device-mgmt-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            int port = freePort();
            int adminPort = freePort();
            Path config = writeConfig(work, pg.getJdbcUrl("postgres", "postgres"), kafka.bootstrapServers(), port,
                    adminPort);
            DeviceMgmtApplication app = new DeviceMgmtApplication();
            app.run("server", config.toString());
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String token = login(http, base, Files.readString(work.resolve("admin-password")).trim());
            send(http, json(base + "/api/v1/device-types", token, "{\"name\":\"bench\"}"), 201);

            // Warm-up: JIT, connection pools, PostgreSQL caches.
            Latencies warm = new LoadRun(http, s.clients, 2_000, Duration.ofSeconds(30)).run(
                    i -> json(base + "/api/v1/devices", token, enroll("warm-" + i)), 201);
            // Both measured paths warmed, so that neither measurement pays for the JIT compiling its code.
            int warmed = Math.max(1, warm.count());
            new LoadRun(http, s.clients, s.warmGets, Duration.ofSeconds(30)).run(
                    i -> HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/warm-"
                            + ThreadLocalRandom.current().nextInt(warmed)))
                            .header("Authorization", "Bearer " + token).GET().build(), 200);

            Latencies enroll = new LoadRun(http, s.clients, s.enrollRequests, Duration.ofSeconds(s.seconds)).run(
                    i -> json(base + "/api/v1/devices", token, enroll("dev-" + i)), 201);
            int enrolled = enroll.count();
            Latencies get = new LoadRun(http, s.clients, s.getRequests, Duration.ofSeconds(s.seconds)).run(
                    i -> HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/dev-"
                            + ThreadLocalRandom.current().nextInt(Math.max(1, enrolled))))
                            .header("Authorization", "Bearer " + token).GET().build(), 200);

            StringBuilder rows = new StringBuilder("[");
            for (int i = 0; i < s.bulk; i++) {
                rows.append(i == 0 ? "" : ",").append(enroll("bulk-" + i));
            }
            rows.append(']');
            long t0 = System.nanoTime();
            HttpResponse<String> bulk = send(http, json(base + "/api/v1/devices/bulk", token, rows.toString()), 200);
            double bulkSeconds = (System.nanoTime() - t0) / 1e9;
            boolean allEnrolled = bulk.body().contains("\"enrolled\":" + s.bulk + ",");
            long t1 = System.nanoTime();
            while (app.outboxPublisher().pending() > 0 && System.nanoTime() - t1 < Duration.ofMinutes(2).toNanos()) {
                Thread.sleep(100); // a harness, not a test: polling the outbox is what we measure
            }
            double drainSeconds = (System.nanoTime() - t1) / 1e9;

            String report = report(s, loadAtStart, enroll, get, bulkSeconds, allEnrolled, drainSeconds);
            System.out.println(report);
            Path out = Path.of(s.out);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
            System.out.println("Written to " + out.toAbsolutePath());
        }
        System.exit(0); // Dropwizard's Jetty and the Kafka clients run non-daemon threads
    }

    private static String report(Settings s, double loadAtStart, Latencies enroll, Latencies get, double bulkSeconds,
            boolean allEnrolled, double drainSeconds) {
        StringBuilder r = new StringBuilder();
        r.append("# Device management API benchmark\n\n");
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version"))
                .append("; embedded PostgreSQL, embedded Kafka and the application in one JVM, loopback HTTP, ")
                .append(s.clients).append(" concurrent clients (closed loop), after a warm-up of 2,000 ")
                .append("enrollments and ").append(String.format(Locale.ROOT, "%,d", s.warmGets))
                .append(" device reads.\n\n");
        r.append("Machine load average (1 min) at start: ").append(String.format(Locale.ROOT, "%.1f",
                loadAtStart)).append(", at end: ").append(String.format(Locale.ROOT, "%.1f", loadAverage()))
                .append(". JVM CPU is the CPU time of this JVM (service, Kafka broker and load generator) per request, "
                        + "PostgreSQL excluded; it moves less than requests/s with what else runs, but on a "
                        + "machine loaded several times over its cores it grows too (the JIT's work spread over "
                        + "fewer requests, contention).\n\n");
        r.append("| measurement | requests | errors | requests/s | p50 ms | p99 ms | JVM CPU ms/request |\n");
        r.append("|---|---:|---:|---:|---:|---:|---:|\n");
        row(r, "POST /api/v1/devices (enroll)", enroll);
        row(r, "GET /api/v1/devices/{id}", get);
        r.append("\n| bulk enrollment | value |\n|---|---:|\n");
        r.append(String.format(Locale.ROOT, "| POST /api/v1/devices/bulk, %,d devices in one call | %.2f s (%s) |%n",
                s.bulk, bulkSeconds, allEnrolled ? "all enrolled" : "NOT all enrolled"));
        r.append(String.format(Locale.ROOT,
                "| then until every credential and event of the run was acknowledged by Kafka | %.2f s |%n",
                drainSeconds));
        return r.toString();
    }

    private static void row(StringBuilder r, String name, Latencies l) {
        r.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,.0f | %.2f | %.2f | %.2f |%n", name, l.count(),
                l.errors(), l.requestsPerSecond(), l.percentileMs(0.50), l.percentileMs(0.99),
                l.jvmCpuMsPerRequest()));
    }

    private static String enroll(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"Benchmark " + id + "\",\"type\":\"bench\","
                + "\"properties\":{\"site\":\"lab\"}}";
    }

    private static HttpRequest json(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static String login(HttpClient http, String base, String password)
            throws IOException, InterruptedException {
        String form = "grant_type=password&username=admin&password=" + URLEncoder.encode(password,
                StandardCharsets.UTF_8);
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), 200);
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no access_token in " + r.body());
        }
        return m.group(1);
    }

    private static Path writeConfig(Path work, String jdbcUrl, String kafka, int port, int adminPort)
            throws IOException {
        String yaml = """
                server:
                  applicationConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
                  requestLog: {appenders: []}
                database:
                  url: "%s"
                  user: postgres
                  password: postgres
                  maxSize: 64
                kafka: {bootstrapServers: "%s"}
                mqtt: {host: 127.0.0.1, port: 1}
                influx: {url: "http://127.0.0.1:1"}
                auth: {adminPasswordFile: "%s"}
                logging:
                  level: WARN
                  loggers: {io.streamthings: INFO, org.apache.kafka: ERROR}
                """.formatted(port, adminPort, jdbcUrl, kafka, work.resolve("admin-password"));
        Path config = work.resolve("config.yml");
        Files.writeString(config, yaml);
        return config;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The run's bounds, from key=value arguments. */
    private record Settings(int clients, int enrollRequests, int getRequests, int seconds, int bulk, int warmGets,
            String out) {

        static Settings parse(String[] args) {
            java.util.Map<String, String> a = BenchmarkArgs.parse(args);
            return new Settings(
                    Integer.parseInt(a.getOrDefault("clients", "32")),
                    Integer.parseInt(a.getOrDefault("enrollRequests", "20000")),
                    Integer.parseInt(a.getOrDefault("getRequests", "100000")),
                    Integer.parseInt(a.getOrDefault("seconds", "60")),
                    Integer.parseInt(a.getOrDefault("bulk", "10000")),
                    Integer.parseInt(a.getOrDefault("warmGets", "5000")),
                    a.getOrDefault("out", "results/device-mgmt.md"));
        }
    }
}
