package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.streamthings.common.telemetry.TelemetryLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * What one payload may hold (see {@link TelemetryLimits}) and how much may wait for Kafka at once, which bounds the
 * memory ingest uses whatever the load.
 */
public class LimitSettings {

    /** Largest body or MQTT payload after decompression, bytes. */
    @Min(1_024)
    @Max(64 * 1024 * 1024)
    @JsonProperty
    private int maxPayloadBytes = TelemetryLimits.DEFAULT_MAX_PAYLOAD_BYTES;

    @Min(1)
    @JsonProperty
    private int maxBatchRecords = TelemetryLimits.DEFAULT_MAX_BATCH_RECORDS;

    @Min(1)
    @JsonProperty
    private int maxMetricsPerRecord = TelemetryLimits.DEFAULT_MAX_METRICS_PER_RECORD;

    @Min(1)
    @JsonProperty
    private int maxTagsPerRecord = TelemetryLimits.DEFAULT_MAX_TAGS_PER_RECORD;

    @Min(0)
    @JsonProperty
    private long maxFutureSkewMs = TelemetryLimits.DEFAULT_MAX_FUTURE_SKEW_MS;

    /** Records sent to Kafka and not yet acknowledged, at most. */
    @Min(1)
    @JsonProperty
    private int maxInFlightRecords = 200_000;

    /** Encoded bytes sent to Kafka and not yet acknowledged, at most. */
    @Min(1_024)
    @JsonProperty
    private long maxInFlightBytes = 64L * 1024 * 1024;

    /** The telemetry limits these settings describe. */
    public TelemetryLimits toTelemetryLimits() {
        return TelemetryLimits.DEFAULTS
                .withMaxPayloadBytes(maxPayloadBytes)
                .withMaxBatchRecords(maxBatchRecords)
                .withMaxMetricsPerRecord(maxMetricsPerRecord)
                .withMaxTagsPerRecord(maxTagsPerRecord)
                .withMaxFutureSkewMs(maxFutureSkewMs);
    }

    public int getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public LimitSettings setMaxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    public int getMaxBatchRecords() {
        return maxBatchRecords;
    }

    public LimitSettings setMaxBatchRecords(int maxBatchRecords) {
        this.maxBatchRecords = maxBatchRecords;
        return this;
    }

    public int getMaxMetricsPerRecord() {
        return maxMetricsPerRecord;
    }

    public LimitSettings setMaxMetricsPerRecord(int maxMetricsPerRecord) {
        this.maxMetricsPerRecord = maxMetricsPerRecord;
        return this;
    }

    public int getMaxTagsPerRecord() {
        return maxTagsPerRecord;
    }

    public LimitSettings setMaxTagsPerRecord(int maxTagsPerRecord) {
        this.maxTagsPerRecord = maxTagsPerRecord;
        return this;
    }

    public long getMaxFutureSkewMs() {
        return maxFutureSkewMs;
    }

    public LimitSettings setMaxFutureSkewMs(long maxFutureSkewMs) {
        this.maxFutureSkewMs = maxFutureSkewMs;
        return this;
    }

    public int getMaxInFlightRecords() {
        return maxInFlightRecords;
    }

    public LimitSettings setMaxInFlightRecords(int maxInFlightRecords) {
        this.maxInFlightRecords = maxInFlightRecords;
        return this;
    }

    public long getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    public LimitSettings setMaxInFlightBytes(long maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
        return this;
    }
}
