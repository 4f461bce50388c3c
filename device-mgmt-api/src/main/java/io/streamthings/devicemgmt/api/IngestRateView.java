package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How fast a tenant's telemetry arrives.
 *
 * @param recordsPerSecond records per second into telemetry.raw (HTTP and MQTT together), mean over the window
 * @param windowSeconds the seconds the mean was taken over (shorter right after the service started)
 */
@Schema(name = "IngestRate")
public record IngestRateView(double recordsPerSecond, int windowSeconds) {}
