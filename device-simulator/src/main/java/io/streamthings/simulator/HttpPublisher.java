package io.streamthings.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts to {@code /ingest/telemetry} with {@code Authorization: Bearer <deviceId>[@tenant]:<token>}, a bounded number
 * at once.
 */
final class HttpPublisher implements TelemetryPublisher {

    private static final int IN_FLIGHT = 64;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String[] authorizations;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final DeviceStates states;

    HttpPublisher(URI api, List<String> ids, Map<String, String> tokens, String tenant, DeviceStates states) {
        this.states = states;
        this.endpoint = api.resolve(api.getPath() + "/ingest/telemetry");
        this.authorizations = ids.stream()
                .map(id -> "Bearer " + DeviceNames.login(id, tenant) + ":" + tokens.get(id))
                .toArray(String[]::new);
    }

    @Override
    public boolean publish(int device, String payload, int records) {
        if (states.isOffline(device)) {
            return false; // rebooting
        }
        inFlight.acquireUninterruptibly();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", authorizations[device])
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        long sentAt = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error == null && response.statusCode() == 202) {
                latencies.record(System.nanoTime() - sentAt);
                acknowledged.addAndGet(records);
            } else {
                failed.addAndGet(records);
            }
        });
        return true;
    }

    @Override
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public int connected() {
        return authorizations.length;
    }

    @Override
    public LatencyRecorder latencies() {
        return latencies;
    }

    @Override
    public void close() {
        inFlight.acquireUninterruptibly(IN_FLIGHT);
    }
}
