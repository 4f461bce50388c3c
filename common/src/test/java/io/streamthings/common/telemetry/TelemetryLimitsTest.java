package io.streamthings.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TelemetryLimitsTest {

    @Test
    void shouldHaveDocumentedDefaults() {
        TelemetryLimits limits = TelemetryLimits.DEFAULTS;

        assertThat(limits.maxPayloadBytes()).isEqualTo(1_048_576);
        assertThat(limits.maxBatchRecords()).isEqualTo(10_000);
        assertThat(limits.maxMetricsPerRecord()).isEqualTo(1_000);
        assertThat(limits.maxTagsPerRecord()).isEqualTo(64);
        assertThat(limits.maxNameChars()).isEqualTo(128);
        assertThat(limits.maxTagValueChars()).isEqualTo(256);
        assertThat(limits.maxFutureSkewMs()).isEqualTo(300_000);
        assertThat(Instant.ofEpochMilli(limits.minTimestampMs())).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(new TelemetryCodec().limits()).isEqualTo(limits);
    }

    @Test
    void shouldChangeOneLimitAndKeepTheOthersWhenUsingAWither() {
        // When
        TelemetryLimits limits = TelemetryLimits.DEFAULTS
                .withMaxPayloadBytes(1)
                .withMaxBatchRecords(2)
                .withMaxMetricsPerRecord(3)
                .withMaxTagsPerRecord(4)
                .withMaxNameChars(5)
                .withMaxTagValueChars(6)
                .withMaxFutureSkewMs(7)
                .withMinTimestampMs(-8);

        // Then
        assertThat(limits).isNotEqualTo(TelemetryLimits.DEFAULTS);
        assertThat(limits.toString()).isEqualTo("TelemetryLimits{maxPayloadBytes=1, maxBatchRecords=2, "
                + "maxMetricsPerRecord=3, maxTagsPerRecord=4, maxNameChars=5, maxTagValueChars=6, maxFutureSkewMs=7, "
                + "minTimestampMs=-8 (1969-12-31T23:59:59.992Z)}");
        assertThat(TelemetryLimits.DEFAULTS.withMaxTagsPerRecord(64)).isEqualTo(TelemetryLimits.DEFAULTS)
                .hasSameHashCodeAs(TelemetryLimits.DEFAULTS);
    }

    @Test
    void shouldRejectLimitWhenOutOfRange() {
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxPayloadBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPayloadBytes must be at least 1, got 0");
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxBatchRecords(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxMetricsPerRecord(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxTagsPerRecord(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxNameChars(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxTagValueChars(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelemetryLimits.DEFAULTS.withMaxFutureSkewMs(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFutureSkewMs must not be negative, got -1");
        assertThatThrownBy(() -> new TelemetryCodec(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldApplyConfiguredCountAndLengthLimits() {
        // Given
        TelemetryCodec codec = new TelemetryCodec(TelemetryLimits.DEFAULTS
                .withMaxMetricsPerRecord(2).withMaxTagsPerRecord(1).withMaxNameChars(4).withMaxTagValueChars(3));
        long now = TelemetryFixtures.RECEIVED_AT_MS;

        // Then
        assertThatThrownBy(() -> codec.decode("{\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}", now))
                .hasMessage("metrics: more than 2 metrics");
        assertThatThrownBy(() -> codec.decode("{\"metrics\":{\"a\":1},\"tags\":{\"x\":\"1\",\"y\":\"2\"}}", now))
                .hasMessage("tags: more than 1 tags");
        assertThatThrownBy(() -> codec.decode("{\"metrics\":{\"abcde\":1}}", now))
                .hasMessage("metrics.abcde: metric name is 5 characters long, more than the limit of 4");
        assertThatThrownBy(() -> codec.decode("{\"metrics\":{\"a\":1},\"tags\":{\"x\":\"abcd\"}}", now))
                .hasMessage("tags.x: value is 4 characters long, more than the limit of 3");
    }
}
