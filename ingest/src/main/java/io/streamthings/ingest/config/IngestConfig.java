package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The whole ingest configuration: the {@code ingest:} block of {@code ingest/config.yml}, or built in code by a host
 * application (the standalone launcher). Every value has a default for a local installation; Bean Validation checks it
 * at start.
 */
public class IngestConfig {

    @Valid
    @NotNull
    @JsonProperty
    private KafkaSettings kafka = new KafkaSettings();

    @Valid
    @NotNull
    @JsonProperty
    private MqttSettings mqtt = new MqttSettings();

    @Valid
    @NotNull
    @JsonProperty
    private HttpSettings http = new HttpSettings();

    @Valid
    @NotNull
    @JsonProperty
    private LimitSettings limits = new LimitSettings();

    @Valid
    @NotNull
    @JsonProperty
    private RateLimitSettings rateLimit = new RateLimitSettings();

    /** At most one {@code seen} event per device is published to {@code device.events} per this interval, ms. */
    @Min(100)
    @Max(3_600_000)
    @JsonProperty
    private long lastSeenIntervalMs = 10_000;

    /** How long start-up waits for the device directory to read {@code device.credentials} to its end, ms. */
    @Min(0)
    @JsonProperty
    private long directoryCatchUpTimeoutMs = 60_000;

    public KafkaSettings getKafka() {
        return kafka;
    }

    public MqttSettings getMqtt() {
        return mqtt;
    }

    public HttpSettings getHttp() {
        return http;
    }

    public LimitSettings getLimits() {
        return limits;
    }

    public RateLimitSettings getRateLimit() {
        return rateLimit;
    }

    public long getLastSeenIntervalMs() {
        return lastSeenIntervalMs;
    }

    public IngestConfig setLastSeenIntervalMs(long lastSeenIntervalMs) {
        this.lastSeenIntervalMs = lastSeenIntervalMs;
        return this;
    }

    public long getDirectoryCatchUpTimeoutMs() {
        return directoryCatchUpTimeoutMs;
    }

    public IngestConfig setDirectoryCatchUpTimeoutMs(long directoryCatchUpTimeoutMs) {
        this.directoryCatchUpTimeoutMs = directoryCatchUpTimeoutMs;
        return this;
    }
}
