package io.streamthings.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.streamthings.common.telemetry.BatchDecodeResult.Rejection;
import io.streamthings.common.telemetry.TelemetryFixtures.Bad;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The golden fixtures decode to the values {@link TelemetryFixtures} promises, and encode back to the same bytes. */
class TelemetryFixturesTest {

    private static final long NOW = TelemetryFixtures.RECEIVED_AT_MS;

    private final TelemetryCodec codec = new TelemetryCodec();

    @Test
    void shouldDecodeSingleFixture() {
        assertThat(codec.decode(TelemetryFixtures.bytes(TelemetryFixtures.SINGLE), NOW))
                .isEqualTo(TelemetryFixtures.singleRecord());
    }

    @Test
    void shouldDecodeIsoTimestampFixtureToTheSameRecord() {
        assertThat(codec.decode(TelemetryFixtures.bytes(TelemetryFixtures.SINGLE_ISO_TS), NOW))
                .isEqualTo(TelemetryFixtures.singleRecord());
    }

    @Test
    void shouldUseReceiveTimeForFixtureWithoutTs() {
        assertThat(codec.decode(TelemetryFixtures.bytes(TelemetryFixtures.SINGLE_NO_TS), NOW).ts()).isEqualTo(NOW);
    }

    @Test
    void shouldDecodeBatchFixture() {
        BatchDecodeResult result = codec.decodeBatch(TelemetryFixtures.bytes(TelemetryFixtures.BATCH), NOW);

        assertThat(result.rejected()).isEmpty();
        assertThat(result.records()).isEqualTo(TelemetryFixtures.batchRecords());
    }

    @Test
    void shouldAcceptGoodAndRejectBadRecordsOfMixedBatchFixture() {
        BatchDecodeResult result = codec.decodeBatch(TelemetryFixtures.bytes(TelemetryFixtures.BATCH_MIXED), NOW);

        assertThat(result.accepted()).extracting(BatchDecodeResult.Accepted::index).containsExactly(0, 2);
        assertThat(result.rejected()).extracting(Rejection::index, Rejection::field)
                .containsExactly(tuple(1, "metrics.temperature"),
                        tuple(3, "deviceId"));
    }

    @Test
    void shouldDecodeStampedFixtureAndEncodeItBackByteForByte() {
        // Given
        String golden = TelemetryFixtures.text(TelemetryFixtures.STAMPED).strip();

        // When
        StampedTelemetry decoded = codec.decodeStamped(golden);

        // Then
        assertThat(decoded).isEqualTo(TelemetryFixtures.stamped());
        assertThat(new String(codec.encodeStamped(decoded), StandardCharsets.UTF_8)).isEqualTo(golden);
    }

    @Test
    void shouldDecodeDeadLetterFixtureAndEncodeItBackByteForByte() {
        // Given
        String golden = TelemetryFixtures.text(TelemetryFixtures.DEAD_LETTER).strip();

        // When
        DeadLetter decoded = codec.decodeDeadLetter(golden.getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(decoded).isEqualTo(TelemetryFixtures.deadLetter());
        assertThat(new String(codec.encodeDeadLetter(decoded), StandardCharsets.UTF_8)).isEqualTo(golden);
    }

    @ParameterizedTest
    @EnumSource(Bad.class)
    void shouldRejectBadFixtureWithItsExpectedMessage(Bad bad) {
        assertThatThrownBy(() -> codec.decode(bad.bytes(), NOW))
                .isInstanceOfSatisfying(TelemetryValidationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(bad.expectedMessage());
                    assertThat(e.field()).isEqualTo(bad.expectedField());
                });
    }

    @Test
    void shouldFailClearlyWhenFixtureDoesNotExist() {
        assertThatThrownBy(() -> TelemetryFixtures.bytes("nope.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no telemetry fixture /fixtures/telemetry/nope.json on the classpath");
    }
}
