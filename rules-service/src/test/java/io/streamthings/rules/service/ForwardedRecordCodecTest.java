package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardedRecordCodecTest {

    private final ForwardedRecordCodec codec = new ForwardedRecordCodec();

    @Test
    void aRecordComesBackAsItWasWithEveryMetricAndTag() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("temperature", 21.5);
        metrics.put("humidity", -0.0);
        metrics.put("power.max", Double.MIN_VALUE);
        StampedTelemetry record = new StampedTelemetry("acme", "thermo-stat", "boiler-1 ü", 1_700_000_000_123L,
                new TelemetryRecord(1_700_000_000_000L, metrics, Map.of("site", "north", "floor", "2")));

        StampedTelemetry back = codec.decode(codec.encode(record));

        assertThat(back).isEqualTo(record);
        assertThat(back.record().metrics().keySet()).containsExactly("temperature", "humidity", "power.max");
        assertThat(Double.doubleToRawLongBits(back.record().metrics().get("humidity")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aRecordWithoutTagsAndAReusedBufferStayApart() {
        StampedTelemetry big = new StampedTelemetry("acme", "t", "d".repeat(2_000), 1L,
                new TelemetryRecord(2L, Map.of("m", 1.0), Map.of("note", "x".repeat(5_000))));
        StampedTelemetry small = new StampedTelemetry("acme", "t", "d-2", 3L, TelemetryRecord.of(4L, Map.of("m", 2.0)));

        byte[] first = codec.encode(big);
        byte[] second = codec.encode(small);

        assertThat(codec.decode(first)).isEqualTo(big);
        assertThat(codec.decode(second)).isEqualTo(small);
        assertThat(second.length).isLessThan(60);
    }

    @Test
    void stampedJsonAsEarlierVersionsForwardedItIsStillRead() {
        StampedTelemetry record = new StampedTelemetry("acme", "t", "d-1", 5L,
                new TelemetryRecord(6L, Map.of("m", 3.0), Map.of("site", "s")));

        assertThat(codec.decode(new TelemetryCodec().encodeStamped(record))).isEqualTo(record);
    }

    @Test
    void bytesThatAreNotAForwardedRecordAreRefused() {
        byte[] good = codec.encode(new StampedTelemetry("acme", "t", "d-1", 5L, TelemetryRecord.of(6L,
                Map.of("m", 3.0))));

        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode("garbage".getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a forwarded record");
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many");
    }
}
