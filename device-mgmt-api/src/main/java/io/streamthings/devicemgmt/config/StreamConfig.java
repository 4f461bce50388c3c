package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The live stream ({@code GET /stream}): how many one caller may hold, and how often callers are checked again. */
public class StreamConfig {

    /** Live streams one caller (user or client) may hold at once; beyond, 429. */
    @Min(1)
    @Max(1_000)
    @JsonProperty
    private int maxStreamsPerCaller = 5;

    /** How often in ms every open stream's caller is checked again (token valid, device still visible). */
    @Min(10)
    @Max(600_000)
    @JsonProperty
    private long recheckMs = 30_000;

    public int getMaxStreamsPerCaller() {
        return maxStreamsPerCaller;
    }

    public long getRecheckMs() {
        return recheckMs;
    }
}
