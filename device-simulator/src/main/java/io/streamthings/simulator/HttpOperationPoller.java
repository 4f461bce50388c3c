package io.streamthings.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.simulator.operations.OperationExecutor;
import io.streamthings.simulator.operations.OperationRequest;
import io.streamthings.simulator.operations.SimulatedDevice;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Devices that cannot hold a connection: every poll interval each pulls {@code GET /device/operations/pending} with its
 * device token, runs what it got, and reports each status with {@code PUT /device/operations/{operationId}}
 * {@code {"status", "response"}}. The devices' polls are spread over the interval. A rebooting device does not poll.
 */
final class HttpOperationPoller implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String[] ids;
    private final String[] authorizations;
    private final OperationExecutor executor;
    private final DeviceStates states;
    private final AtomicLong pollFailures = new AtomicLong();
    private final ComplianceClient compliance;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sim-http-operations");
        t.setDaemon(true);
        return t;
    });

    HttpOperationPoller(URI api, List<String> ids, Map<String, String> tokens, String tenant,
            OperationExecutor executor, DeviceStates states) {
        this.api = api;
        this.ids = ids.toArray(String[]::new);
        this.authorizations = ids.stream()
                .map(id -> "Bearer " + DeviceNames.login(id, tenant) + ":" + tokens.get(id))
                .toArray(String[]::new);
        this.executor = executor;
        this.states = states;
        this.compliance = new ComplianceClient(api);
    }

    /** Starts polling, each device once per interval. */
    void start(Duration interval) {
        long periodMs = interval.toMillis();
        for (int i = 0; i < ids.length; i++) {
            int device = i;
            scheduler.scheduleWithFixedDelay(() -> poll(device), periodMs * i / ids.length, periodMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    long pollFailures() {
        return pollFailures.get();
    }

    private void poll(int device) {
        if (states.isOffline(device)) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(path("/device/operations/pending"))
                .header("Authorization", authorizations[device]).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                failure(device, "GET pending answered " + r.statusCode() + ": " + r.body());
                return;
            }
            JsonNode body = JSON.readTree(r.body());
            JsonNode items = body.isArray() ? body : body.path("items");
            for (JsonNode item : items) {
                OperationRequest op;
                try {
                    op = OperationRequest.fromHttp(item);
                } catch (IllegalArgumentException e) {
                    failure(device, e.getMessage());
                    continue;
                }
                executor.execute(new Device(device), op).whenComplete((v, e) -> {
                    if (e != null) {
                        failure(device, "operation " + op.operationId() + ": a status report failed: " + e);
                    }
                });
            }
        } catch (IOException e) {
            failure(device, "GET pending failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failure(int device, String message) {
        // One line per failure would flood the terminal when the platform is down: print the first few only.
        if (pollFailures.incrementAndGet() <= 10) {
            System.err.printf("device %s: %s%n", ids[device], message);
        }
    }

    private URI path(String path) {
        return api.resolve(api.getPath() + path);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private final class Device implements SimulatedDevice {
        private final int index;

        Device(int index) {
            this.index = index;
        }

        @Override
        public String id() {
            return ids[index];
        }

        @Override
        public CompletableFuture<Void> reboot(Duration downtime) {
            states.offline(index, true);
            CompletableFuture<Void> back = new CompletableFuture<>();
            scheduler.schedule(() -> {
                states.offline(index, false);
                back.complete(null);
            }, downtime.toMillis(), TimeUnit.MILLISECONDS);
            return back;
        }

        @Override
        public void setInterval(Duration interval) {
            states.setInterval(index, interval);
        }

        @Override
        public CompletableFuture<Void> reportCompliance(JsonNode report) {
            return compliance.report(authorizations[index], report);
        }

        @Override
        public CompletableFuture<Void> report(String operationId, String status, JsonNode response) {
            ObjectNode body = JSON.createObjectNode().put("status", status);
            if (response != null) {
                body.set("response", response);
            }
            HttpRequest request = HttpRequest.newBuilder(path("/device/operations/"
                            + URLEncoder.encode(operationId, StandardCharsets.UTF_8)))
                    .header("Authorization", authorizations[index]).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("PUT " + status + " answered " + r.statusCode() + ": "
                            + r.body());
                }
            });
        }
    }
}
