package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Bounds on what one request may make the service do. */
public class LimitsConfig {

    /**
     * The largest request body in bytes the management API reads (bulk enrollment, rules, every JSON body); a larger
     * one is refused with 413 before it is parsed. The default fits a bulk enrollment of 10,000 rows with properties.
     */
    @Min(1_024)
    @Max(1_073_741_824)
    @JsonProperty
    private long maxBodyBytes = 8L * 1024 * 1024;

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }
}
