package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodingTest {

    private final Decoding decoding = new Decoding();
    private final TelemetryCodec codec = new TelemetryCodec();

    @Test
    void shouldDecodeTheGoldenStampedFixtureIntoTheFlatEvent() {
        // Given the golden stamped record every consumer round-trips
        StampedTelemetry stamped = TelemetryFixtures.stamped();
        byte[] value = TelemetryFixtures.bytes(TelemetryFixtures.STAMPED);

        // When
        DecodedRecord r = decoding.decode(stamped.key().getBytes(StandardCharsets.UTF_8), value, 1L);

        // Then
        assertThat(r.isOk()).isTrue();
        TelemetryEvent e = r.event();
        assertThat(e.tenant()).isEqualTo(stamped.tenant());
        assertThat(e.deviceType()).isEqualTo(stamped.deviceType());
        assertThat(e.deviceId()).isEqualTo(stamped.deviceId());
        assertThat(e.ts()).isEqualTo(stamped.record().ts());
        assertThat(e.receivedAt()).isEqualTo(stamped.receivedAt());
        assertThat(e.metricNames()).containsExactlyElementsOf(stamped.record().metrics().keySet());
        assertThat(e.metricValues()).containsExactly(stamped.record().metrics().values().stream()
                .mapToDouble(Double::doubleValue).toArray());
        stamped.record().tags().forEach((k, v) -> assertThat(e.tag(k)).isEqualTo(v));
        assertThat(e.tag("absent")).isNull();
    }

    @Test
    void shouldTurnAnUndecodableRecordIntoADeadLetterWithTheReasonAndTheDeviceFromTheKey() {
        // When
        DecodedRecord r = decoding.decode("acme/t-17".getBytes(StandardCharsets.UTF_8),
                "{\"tenant\":\"acme\"".getBytes(StandardCharsets.UTF_8), 1_764_131_000_456L);

        // Then
        assertThat(r.isOk()).isFalse();
        assertThat(r.deadLetterKey()).isEqualTo("acme/t-17");
        DeadLetter letter = codec.decodeDeadLetter(r.deadLetter());
        assertThat(letter.source()).isEqualTo(Decoding.DEAD_LETTER_SOURCE);
        assertThat(letter.tenant()).isEqualTo("acme");
        assertThat(letter.deviceId()).isEqualTo("t-17");
        assertThat(letter.receivedAt()).isEqualTo(1_764_131_000_456L);
        assertThat(letter.reason()).isNotBlank();
        assertThat(letter.rawPayloadText()).contains("{\"tenant\":\"acme\"");
    }

    @Test
    void shouldTurnAnEmptyValueAndAMissingKeyIntoADeadLetter() {
        DecodedRecord r = decoding.decode(null, null, 5L);
        assertThat(r.isOk()).isFalse();
        DeadLetter letter = codec.decodeDeadLetter(r.deadLetter());
        assertThat(letter.tenant()).isNull();
        assertThat(letter.reason()).contains("empty record value");
    }

    @Test
    void shouldExplodeOneSamplePerMetric() {
        TelemetryEvent e = new TelemetryEvent("acme", "thermo", "d1", 7, 5, new String[] {"t", "h"},
                new double[] {1.5, 2.5}, new String[0], new String[0]);
        java.util.List<MetricSample> out = new java.util.ArrayList<>();
        Samples.explode(e, out::add);
        assertThat(out).containsExactly(new MetricSample("acme", "thermo", "d1", "t", 1.5, 5, 7),
                new MetricSample("acme", "thermo", "d1", "h", 2.5, 5, 7));
        assertThat(out.get(0).key()).isEqualTo("acme/d1/t");
    }
}
