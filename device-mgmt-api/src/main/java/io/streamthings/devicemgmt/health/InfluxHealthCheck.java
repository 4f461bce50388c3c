package io.streamthings.devicemgmt.health;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** InfluxDB answers {@code GET /ping} with 204. */
public class InfluxHealthCheck extends HealthCheck {

    private final HttpClient client;
    private final URI ping;
    private final Duration timeout;

    public InfluxHealthCheck(String url, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.ping = URI.create(url.endsWith("/") ? url + "ping" : url + "/ping");
        this.timeout = timeout;
    }

    @Override
    protected Result check() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ping).timeout(timeout).GET().build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return Result.unhealthy("no answer from " + ping + ": " + e);
        }
        return response.statusCode() == 204
                ? Result.healthy(response.headers().firstValue("X-Influxdb-Version").map(v -> "version " + v)
                        .orElse("ping 204"))
                : Result.unhealthy("GET " + ping + " answered " + response.statusCode());
    }
}
