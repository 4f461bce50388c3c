package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Where Kafka is and how the ingest producer batches. Defaults suit a single local broker. */
public class KafkaSettings {

    @NotBlank
    @JsonProperty
    private String bootstrapServers = "localhost:9092";

    /**
     * How long the producer waits to fill a batch, ms. Every batch costs the producer and the broker a fixed amount
     * (a new compressed record batch, a produce request), and MQTT messages arrive one record at a time spread over
     * the partitions: at 1 ms a batch held a record or two, and the per-batch cost was a large share of a message's
     * CPU; 5 ms cut the MQTT server's CPU per message by about a sixth (benchmarks/results/mqtt-server.md) for at most
     * 5 ms more before a PUBACK. Behind an outside broker that lets the subscriber few unacknowledged messages, a
     * shorter linger may carry more: the broker's window, not CPU, is the bound there.
     */
    @Min(0)
    @Max(1_000)
    @JsonProperty
    private int lingerMs = 5;

    /** Upper bound of one producer batch per partition, bytes. */
    @Min(1_024)
    @Max(16_777_216)
    @JsonProperty
    private int batchSizeBytes = 256 * 1024;

    @NotBlank
    @Pattern(regexp = "none|gzip|snappy|lz4|zstd")
    @JsonProperty
    private String compressionType = "lz4";

    /**
     * How long a record may wait for Kafka's acknowledgement before the send fails, ms. MQTT messages whose send fails
     * are sent again (never acknowledged to the broker before Kafka has them); HTTP callers get 503 long before this.
     */
    @Min(1_000)
    @JsonProperty
    private int deliveryTimeoutMs = 120_000;

    /**
     * Longest a send may block on missing metadata (Kafka unreachable), ms. Short, because it blocks the caller: an
     * HTTP request answers 503 after it, an MQTT message is retried after it.
     */
    @Min(0)
    @Max(120_000)
    @JsonProperty
    private int maxBlockMs = 1_000;

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public KafkaSettings setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    public int getLingerMs() {
        return lingerMs;
    }

    public KafkaSettings setLingerMs(int lingerMs) {
        this.lingerMs = lingerMs;
        return this;
    }

    public int getBatchSizeBytes() {
        return batchSizeBytes;
    }

    public KafkaSettings setBatchSizeBytes(int batchSizeBytes) {
        this.batchSizeBytes = batchSizeBytes;
        return this;
    }

    public String getCompressionType() {
        return compressionType;
    }

    public KafkaSettings setCompressionType(String compressionType) {
        this.compressionType = compressionType;
        return this;
    }

    public int getDeliveryTimeoutMs() {
        return deliveryTimeoutMs;
    }

    public KafkaSettings setDeliveryTimeoutMs(int deliveryTimeoutMs) {
        this.deliveryTimeoutMs = deliveryTimeoutMs;
        return this;
    }

    public int getMaxBlockMs() {
        return maxBlockMs;
    }

    public KafkaSettings setMaxBlockMs(int maxBlockMs) {
        this.maxBlockMs = maxBlockMs;
        return this;
    }
}
