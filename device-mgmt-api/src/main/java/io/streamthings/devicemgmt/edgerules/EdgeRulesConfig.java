package io.streamthings.devicemgmt.edgerules;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Edge rules: how often edge runtimes report their health and when a silent one counts as stale. */
public class EdgeRulesConfig {

    /** The runtimes' {@code healthIntervalMs} (the edge runtime's default). */
    @Min(100)
    @Max(86_400_000)
    @JsonProperty
    private long healthIntervalMs = 10_000;

    /** A runtime with no report for this many health intervals is shown {@code stale: true}. */
    @Min(1)
    @Max(1_000)
    @JsonProperty
    private int staleAfterIntervals = 3;

    /** Read {@code edge.status}; false only for an API instance that must not touch Kafka. */
    @JsonProperty
    private boolean consumeStatus = true;

    public long getHealthIntervalMs() {
        return healthIntervalMs;
    }

    public int getStaleAfterIntervals() {
        return staleAfterIntervals;
    }

    public boolean isConsumeStatus() {
        return consumeStatus;
    }

    /** How long without a report before a runtime is stale. */
    public long staleAfterMs() {
        return healthIntervalMs * staleAfterIntervals;
    }
}
