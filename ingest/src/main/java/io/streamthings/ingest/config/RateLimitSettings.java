package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The per-device token bucket, counted in records: a device may send {@code recordsPerSecond} on average and
 * {@code burstRecords} at once. Over it, HTTP answers 429 with {@code Retry-After}; ingest's MQTT server stops reading
 * the device's socket until its bucket has refilled (nothing is refused); behind an outside broker, MQTT records go to
 * the dead-letter topic with the reason (a shared subscription has no way to say "later" to one device).
 */
public class RateLimitSettings {

    @JsonProperty
    private boolean enabled = true;

    @Min(1)
    @JsonProperty
    private double recordsPerSecond = 1_000;

    @Min(1)
    @Max(100_000_000)
    @JsonProperty
    private long burstRecords = 20_000;

    public boolean isEnabled() {
        return enabled;
    }

    public RateLimitSettings setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    public double getRecordsPerSecond() {
        return recordsPerSecond;
    }

    public RateLimitSettings setRecordsPerSecond(double recordsPerSecond) {
        this.recordsPerSecond = recordsPerSecond;
        return this;
    }

    public long getBurstRecords() {
        return burstRecords;
    }

    public RateLimitSettings setBurstRecords(long burstRecords) {
        this.burstRecords = burstRecords;
        return this;
    }
}
