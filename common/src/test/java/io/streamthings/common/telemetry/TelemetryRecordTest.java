package io.streamthings.common.telemetry;

import static io.streamthings.common.telemetry.TelemetryFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryRecordTest {

    private static final long TS = 1_764_131_000_123L;

    @Test
    void shouldCopyMapsAndKeepTheirOrder() {
        // Given
        Map<String, Double> metrics = metrics("z", 1, "a", 2);
        Map<String, String> tags = new LinkedHashMap<>(Map.of("k", "v"));

        // When
        TelemetryRecord record = new TelemetryRecord(TS, metrics, tags);
        metrics.put("late", 3.0);
        tags.clear();

        // Then
        assertThat(record.metrics()).containsExactly(Map.entry("z", 1.0), Map.entry("a", 2.0));
        assertThat(record.tags()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void shouldBeUnmodifiable() {
        TelemetryRecord record = new TelemetryRecord(TS, metrics("a", 1), Map.of("k", "v"));

        assertThatThrownBy(() -> record.metrics().put("b", 2.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> record.tags().put("b", "c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldTakeNullTagsAsNone() {
        assertThat(new TelemetryRecord(TS, metrics("a", 1), null).tags()).isEmpty();
    }

    @Test
    void shouldRejectRecordWhenBuiltWithoutMetrics() {
        assertThatThrownBy(() -> new TelemetryRecord(TS, null, Map.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TelemetryRecord.of(TS, Map.of()))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("metrics: must contain at least one metric");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void shouldRejectRecordWhenBuiltWithNonFiniteMetric(double value) {
        assertThatThrownBy(() -> TelemetryRecord.of(TS, metrics("temperature", value)))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessage("metrics.temperature: expected a finite number, got " + value);
    }

    @Test
    void shouldRejectRecordWhenBuiltWithNullMetricOrTagValue() {
        Map<String, Double> nullMetric = new HashMap<>();
        nullMetric.put("temperature", null);
        Map<String, String> nullTag = new HashMap<>();
        nullTag.put("site", null);

        assertThatThrownBy(() -> TelemetryRecord.of(TS, nullMetric))
                .hasMessage("metrics.temperature: expected a number, got null");
        assertThatThrownBy(() -> new TelemetryRecord(TS, metrics("a", 1), nullTag))
                .hasMessage("tags.site: expected a string, got null");
    }

    @Test
    void shouldRejectRecordWhenBuiltWithBadNames() {
        assertThatThrownBy(() -> TelemetryRecord.of(TS, metrics("bad name", 1)))
                .isInstanceOf(TelemetryValidationException.class)
                .hasMessageStartingWith("metrics.bad name: metric name may contain only");
        assertThatThrownBy(() -> new TelemetryRecord(TS, metrics("a", 1), Map.of("deviceId", "other")))
                .hasMessageStartingWith("tags.deviceId: reserved tag key");
    }

    @Test
    void shouldStampRecordWithIdentityAndKeyItByTenantAndDevice() {
        // Given
        DeviceIdentity identity = new DeviceIdentity("acme", "thermostat", "t-17");
        TelemetryRecord record = TelemetryRecord.of(TS, metrics("a", 1));

        // When
        StampedTelemetry stamped = StampedTelemetry.stamp(identity, record, TS + 5);

        // Then
        assertThat(stamped.tenant()).isEqualTo("acme");
        assertThat(stamped.deviceType()).isEqualTo("thermostat");
        assertThat(stamped.deviceId()).isEqualTo("t-17");
        assertThat(stamped.receivedAt()).isEqualTo(TS + 5);
        assertThat(stamped.record()).isSameAs(record);
        assertThat(stamped.identity()).isEqualTo(identity);
        assertThat(stamped.key()).isEqualTo("acme/t-17");
    }

    @Test
    void shouldRejectIdentityWhenAPartIsBlank() {
        assertThatThrownBy(() -> new DeviceIdentity(" ", "thermostat", "t-17"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tenant must not be blank");
        assertThatThrownBy(() -> new DeviceIdentity("acme", null, "t-17"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("deviceType must not be blank");
        assertThatThrownBy(() -> new DeviceIdentity("acme", "thermostat", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("deviceId must not be blank");
        assertThatThrownBy(() -> StampedTelemetry.stamp(null, TelemetryRecord.of(TS, metrics("a", 1)), TS))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StampedTelemetry("acme", "thermostat", "t-17", TS, null))
                .isInstanceOf(NullPointerException.class);
    }
}
