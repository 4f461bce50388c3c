package io.streamthings.simulator.operations;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What an operation can do to one simulated device, over whichever transport it uses. */
public interface SimulatedDevice {

    /** The device id. */
    String id();

    /**
     * Goes offline for the downtime and comes back (MQTT: disconnect, then connect again; HTTP: stop polling).
     *
     * @return completes once the device is back
     */
    CompletableFuture<Void> reboot(Duration downtime);

    /** From now on the device publishes once per interval at most. */
    void setInterval(Duration interval);

    /**
     * Reports a status of an operation to the platform.
     *
     * @param response the device's response, a JSON object; null for none
     * @return completes once the platform took the report (MQTT: its PUBACK; HTTP: a 2xx)
     */
    CompletableFuture<Void> report(String operationId, String status, JsonNode response);

    /**
     * Reports compliance with the device's effective policy to the policies service.
     *
     * @param report {@code {"version"?, "features": {code: "compliant" | "non-compliant" | "pending"}}}
     * @return completes once the platform took it
     */
    default CompletableFuture<Void> reportCompliance(JsonNode report) {
        return CompletableFuture.completedFuture(null);
    }
}
