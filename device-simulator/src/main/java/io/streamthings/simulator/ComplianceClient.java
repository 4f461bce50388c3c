package io.streamthings.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Reports a device's policy compliance where the policies service takes it: {@code PUT /device/policy/compliance}
 * {@code {"version", "features": {code: "compliant" | "non-compliant" | "pending"}}} with the device token. Devices of
 * both transports use it: compliance has no MQTT topic of its own.
 */
final class ComplianceClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    ComplianceClient(URI api) {
        this.endpoint = api.resolve(api.getPath() + "/device/policy/compliance");
    }

    /** @param authorization {@code Bearer <deviceId>[@tenant]:<token>} */
    CompletableFuture<Void> report(String authorization, JsonNode report) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", authorization)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(report.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("compliance report answered " + r.statusCode() + ": " + r.body());
            }
        });
    }
}
