package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Rule management: how long a dry run ({@code POST /rules/validate} with events) may take. */
public class RulesConfig {

    /** A dry run still going after this many milliseconds is stopped and answered 422. */
    @Min(1)
    @Max(600_000)
    @JsonProperty
    private long dryRunDeadlineMs = 5_000;

    public long getDryRunDeadlineMs() {
        return dryRunDeadlineMs;
    }
}
