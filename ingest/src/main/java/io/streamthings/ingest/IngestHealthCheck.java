package io.streamthings.ingest;

import com.codahale.metrics.health.HealthCheck;

/** Healthy when the device directory has caught up and every MQTT subscriber is connected. */
final class IngestHealthCheck extends HealthCheck {

    private final IngestService service;

    IngestHealthCheck(IngestService service) {
        this.service = service;
    }

    @Override
    protected Result check() {
        if (!service.directory().isCaughtUp()) {
            return Result.unhealthy("the device directory is still reading device.credentials");
        }
        if (!service.mqttConnected()) {
            return Result.unhealthy("an MQTT subscriber is not connected");
        }
        return Result.healthy("%d devices known", service.directory().size());
    }
}
