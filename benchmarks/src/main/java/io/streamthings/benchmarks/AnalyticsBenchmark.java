package io.streamthings.benchmarks;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.devicemgmt.DeviceMgmtApplication;
import io.streamthings.embedded.EmbeddedKafka;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The analytics benchmark, on real servers in one JVM (embedded PostgreSQL and Kafka, the device service) plus
 * influxd as a child process:
 *
 * <ol>
 *   <li>query latency: {@code GET /analytics/telemetry} for a 24-hour series of one metric at 1 Hz (86,400 raw
 *       readings and their 1,440 one-minute windows, as the real-time job writes them), 1 and 8 clients;</li>
 *   <li>live stream: how many concurrent {@code GET /stream} clients one service instance holds while every client
 *       still gets each telemetry record within 1 s of it being written to Kafka (steps of clients, 10 records/s).</li>
 * </ol>
 *
 * Writes {@code results/analytics.md}. Arguments: {@code out=<file>} {@code requests=<n>} {@code maxClients=<n>}.
 */
public final class AnalyticsBenchmark {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SENT = Pattern.compile("\"sent\":([0-9.E]+)");
    private static final long DAY = 86_400_000L;

    private AnalyticsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchmarkArgs.parse(args);
        Path out = Path.of(opts.getOrDefault("out", "benchmarks/results/analytics.md"));
        int requests = Integer.parseInt(opts.getOrDefault("requests", "500"));
        int maxClients = Integer.parseInt(opts.getOrDefault("maxClients", "2000"));
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path work = Files.createTempDirectory("analytics-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
                InfluxServer influx = InfluxServer.start(work.resolve("influx"), Ports.free())) {
            kafka.createTopics(Topics.ALL);
            influx.createDatabase("streamthings");
            influx.query("CREATE RETENTION POLICY \"raw\" ON \"streamthings\" DURATION 7d REPLICATION 1");
            influx.query("CREATE RETENTION POLICY \"rp_1m\" ON \"streamthings\" DURATION 90d REPLICATION 1");
            int port = Ports.free();
            Path config = work.resolve("config.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
                      adminConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
                      requestLog: {appenders: []}
                    database: {url: "%s", user: postgres, password: postgres}
                    kafka: {bootstrapServers: "%s"}
                    mqtt: {host: 127.0.0.1, port: 1}
                    influx: {url: "%s"}
                    auth: {adminPasswordFile: "%s"}
                    logging: {level: WARN, loggers: {io.streamthings: INFO, org.apache.kafka: ERROR}}
                    """.formatted(port, Ports.free(), pg.getJdbcUrl("postgres", "postgres"),
                    kafka.bootstrapServers(), influx.url(), work.resolve("admin-password")));
            new DeviceMgmtApplication().run("server", config.toString());
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String token = login(http, base, Files.readString(work.resolve("admin-password")).trim());
            post(http, base + "/api/v1/device-types", token, "{\"name\":\"thermo\"}", 201);
            post(http, base + "/api/v1/devices", token, "{\"id\":\"d-1\",\"name\":\"bench\",\"type\":\"thermo\"}",
                    201);

            long now = System.currentTimeMillis();
            long from = now - DAY;
            writeDay(influx.url(), from);
            String series = base + "/api/v1/analytics/telemetry?deviceId=d-1&metric=temperature&from=" + from
                    + "&to=" + now;
            // Warm-up: JIT, connection pools, InfluxDB caches.
            new LoadRun(http, 4, 200, Duration.ofSeconds(30)).run(i -> get(series, token), 200);
            Latencies one = new LoadRun(http, 1, requests, Duration.ofSeconds(60)).run(i -> get(series, token), 200);
            Latencies eight = new LoadRun(http, 8, requests * 4, Duration.ofSeconds(60))
                    .run(i -> get(series, token), 200);
            HttpResponse<String> sample = http.send(get(series, token), HttpResponse.BodyHandlers.ofString());
            int points = sample.body().split("\\],\\[").length;
            System.out.printf(Locale.ROOT, "24 h series (%d points): 1 client p50 %.1f ms p99 %.1f ms; 8 clients "
                    + "%.0f req/s p50 %.1f ms p99 %.1f ms%n", points, one.percentileMs(0.5), one.percentileMs(0.99),
                    eight.requestsPerSecond(), eight.percentileMs(0.5), eight.percentileMs(0.99));

            List<String> steps = new ArrayList<>();
            int held = 0;
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                for (int clients = 100; clients <= maxClients; clients *= 2) {
                    double[] r = streamStep(http, base, token, producer, clients);
                    steps.add(String.format(Locale.ROOT, "| %,d | %.0f%% | %.0f | %.0f | %.0f |", clients,
                            r[0] * 100, r[1], r[2], r[3]));
                    System.out.println(steps.get(steps.size() - 1));
                    if (r[0] < 1.0 || r[2] >= 1_000) {
                        break;
                    }
                    held = clients;
                }
            }
            String report = report(loadAtStart, points, one, eight, steps, held);
            System.out.println(report);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
        System.exit(0); // Dropwizard's Jetty and the Kafka clients run non-daemon threads
    }

    /**
     * Opens {@code clients} streams of device d-1, sends 100 records at 10/s, each carrying its send time, and
     * answers the share of (client, record) deliveries that arrived, and their p50, p99 and max latency in ms.
     */
    private static double[] streamStep(HttpClient http, String base, String token,
            KafkaProducer<String, byte[]> producer, int clients) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(clients);
        List<Flow.Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/stream?deviceId=d-1&topics="
                    + "telemetry")).header("Authorization", "Bearer " + token).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    synchronized (subscriptions) {
                        subscriptions.add(s);
                    }
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    if (line.startsWith(": connected")) {
                        connected.countDown();
                    } else if (line.startsWith("data:")) {
                        Matcher m = SENT.matcher(line);
                        if (m.find()) {
                            latencies.add(System.currentTimeMillis() - (long) Double.parseDouble(m.group(1)));
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    connected.countDown();
                }

                @Override
                public void onComplete() {}
            }));
        }
        if (!connected.await(120, TimeUnit.SECONDS)) {
            System.out.println("not every client connected within 120 s");
        }
        TelemetryCodec codec = new TelemetryCodec();
        int records = 100;
        for (int i = 0; i < records; i++) {
            long sent = System.currentTimeMillis();
            StampedTelemetry t = new StampedTelemetry("default", "thermo", "d-1", sent,
                    new TelemetryRecord(sent, Map.of("temperature", 20.0 + i, "sent", (double) sent), Map.of()));
            producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), t.key(), codec.encodeStamped(t)));
            Thread.sleep(100);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (latencies.size() < (long) records * clients && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        synchronized (subscriptions) {
            subscriptions.forEach(Flow.Subscription::cancel);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Thread.sleep(2_000); // let the server notice the closed streams before the next step
        return new double[] {sorted.length / (double) ((long) records * clients), pct(sorted, 0.5), pct(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]};
    }

    /** A day of readings at 1 Hz and their 1-minute windows, as the real-time job writes them. */
    private static void writeDay(String influx, long from) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder raw = new StringBuilder();
        for (int s = 0; s < 86_400; s++) {
            long ts = from + s * 1_000L;
            raw.append("telemetry,tenant=default,deviceType=thermo,deviceId=d-1 temperature=")
                    .append(20 + 5 * Math.sin(s / 3_600.0)).append(' ').append(ts).append('\n');
            if (raw.length() > 1_000_000) {
                write(http, influx, "raw", raw);
            }
        }
        write(http, influx, "raw", raw);
        StringBuilder windows = new StringBuilder();
        for (int m = 0; m < 1_440; m++) {
            long start = from - from % 60_000 + m * 60_000L;
            double v = 20 + 5 * Math.sin(m * 60 / 3_600.0);
            windows.append("telemetry_1m,tenant=default,deviceType=thermo,deviceId=d-1,metric=temperature count=60i,")
                    .append("min=").append(v - 1).append(",max=").append(v + 1).append(",sum=").append(60 * v)
                    .append(",mean=").append(v).append(",last=").append(v).append(",p95=").append(v + 0.9)
                    .append(' ').append(start).append('\n');
        }
        write(http, influx, "rp_1m", windows);
    }

    private static void write(HttpClient http, String influx, String rp, StringBuilder lines) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(influx
                + "/write?db=streamthings&precision=ms&rp=" + rp))
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("InfluxDB refused the points: " + r.body());
        }
        lines.setLength(0);
    }

    private static String report(double loadAtStart, int points, Latencies one, Latencies eight, List<String> steps,
            int held) {
        StringBuilder r = new StringBuilder("# Analytics benchmark\n\n");
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(String.format(Locale.ROOT,
                "; embedded PostgreSQL and Kafka, the device service and the load generator in one JVM, influxd as a "
                + "child process. Load average at start %.1f, at end %.1f.%n%n", loadAtStart,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        r.append(String.format(Locale.ROOT, "## Query latency%n%nA 24-hour series of one metric at 1 Hz (86,400 raw "
                + "readings, 1,440 one-minute windows): `GET /api/v1/analytics/telemetry` over the 24 hours answers "
                + "%d points (the 1-minute windows, at most maxPoints 1,000 by default).%n%n", points));
        r.append("| clients | requests | requests/s | p50 ms | p99 ms |\n|---:|---:|---:|---:|---:|\n");
        r.append(String.format(Locale.ROOT, "| 1 | %,d | %.0f | %.1f | %.1f |%n", one.count(),
                one.requestsPerSecond(), one.percentileMs(0.5), one.percentileMs(0.99)));
        r.append(String.format(Locale.ROOT, "| 8 | %,d | %.0f | %.1f | %.1f |%n%n", eight.count(),
                eight.requestsPerSecond(), eight.percentileMs(0.5), eight.percentileMs(0.99)));
        r.append("## Live stream\n\nConcurrent `GET /api/v1/stream?deviceId=d-1` clients of one instance; 100 records "
                + "at 10 records/s written to telemetry.raw; latency from the write to each client reading it.\n\n");
        r.append("| clients | delivered | p50 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|\n");
        steps.forEach(s -> r.append(s).append('\n'));
        r.append(String.format(Locale.ROOT, "%nHeld with every update under 1 s (p99) and nothing lost: %,d "
                + "clients.%n", held));
        return r.toString();
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
    }

    private static void post(HttpClient http, String url, String token, String json, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static String login(HttpClient http, String base, String password) throws Exception {
        String form = "grant_type=password&username=admin&password=" + URLEncoder.encode(password,
                StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no access_token in " + r.body());
        }
        return m.group(1);
    }
}
