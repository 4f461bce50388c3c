package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The {@code operations} block of the configuration: defaults of operations and the sweeper's pace. */
public class OperationsConfig {

    /** Seconds a device has, once an operation is delivered, to finish it before it is TIMED_OUT. */
    @Min(1)
    @JsonProperty
    private long defaultTimeoutSeconds = 300;

    /** Seconds an operation may wait for delivery (the device offline) before it EXPIRES. */
    @Min(1)
    @JsonProperty
    private long defaultExpirySeconds = 7 * 24 * 3600;

    /** How often the sweeper looks at stored deadlines, rollouts and unacknowledged sends, in ms. */
    @Min(50)
    @Max(600_000)
    @JsonProperty
    private long sweepIntervalMs = 1_000;

    /** Seconds after which an operation sent to an online device and not acknowledged is sent again. */
    @Min(1)
    @JsonProperty
    private long resendAfterSeconds = 30;

    /** Consume {@code operation.status} and {@code device.events} (off only in tests that drive reports by hand). */
    @JsonProperty
    private boolean consume = true;

    public long getDefaultTimeoutSeconds() {
        return defaultTimeoutSeconds;
    }

    public long getDefaultExpirySeconds() {
        return defaultExpirySeconds;
    }

    public long getSweepIntervalMs() {
        return sweepIntervalMs;
    }

    public long getResendAfterSeconds() {
        return resendAfterSeconds;
    }

    public boolean isConsume() {
        return consume;
    }
}
