package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Where the Kafka cluster is and how long the producer may block when it is unreachable. */
public class KafkaConfig {

    @NotBlank
    @JsonProperty
    private String bootstrapServers = "localhost:9092";

    /** Upper bound in ms on a producer send waiting for metadata; keeps the outbox publisher from hanging. */
    @Min(100)
    @Max(120_000)
    @JsonProperty
    private long maxBlockMs = 5_000;

    /** Whether to consume {@code device.events} online/offline/seen events to keep lastSeen current. */
    @JsonProperty
    private boolean consumeDeviceActivity = true;

    /** Whether to consume {@code alerts} into PostgreSQL and InfluxDB (one API instance of a cluster is enough). */
    @JsonProperty
    private boolean consumeAlerts = true;

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public long getMaxBlockMs() {
        return maxBlockMs;
    }

    public boolean isConsumeDeviceActivity() {
        return consumeDeviceActivity;
    }

    public boolean isConsumeAlerts() {
        return consumeAlerts;
    }
}
