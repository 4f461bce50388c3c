package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How HTTP ingest waits for Kafka and what it tells a client to do when it cannot. */
public class HttpSettings {

    /** How long a request waits for Kafka's acknowledgement before it is answered 503, ms. */
    @Min(100)
    @Max(300_000)
    @JsonProperty
    private long ackTimeoutMs = 10_000;

    /** The {@code Retry-After} of a 503, seconds. */
    @Min(1)
    @Max(3_600)
    @JsonProperty
    private int retryAfterSeconds = 5;

    public long getAckTimeoutMs() {
        return ackTimeoutMs;
    }

    public HttpSettings setAckTimeoutMs(long ackTimeoutMs) {
        this.ackTimeoutMs = ackTimeoutMs;
        return this;
    }

    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }

    public HttpSettings setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        return this;
    }
}
