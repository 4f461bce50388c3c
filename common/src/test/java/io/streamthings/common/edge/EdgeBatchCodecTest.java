package io.streamthings.common.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeBatchCodecTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepEachRecordsObjectByteForByte() {
        byte[] alert = json("{\"tenant\":\"acme\",\"rule\":\"hot\",\"ts\":5,\"values\":{\"t\":9.5,\"s\":\"é\"}}");
        byte[] telemetry = json("{\"ts\":6,\"metrics\":{\"t\":1.0}}");
        EdgeBatch batch = new EdgeBatch("e1", List.of(new EdgeBatch.Entry(41, EdgeBatch.Kind.ALERT, alert),
                new EdgeBatch.Entry(42, EdgeBatch.Kind.TELEMETRY, telemetry)));
        EdgeBatch back = EdgeBatchCodec.decode(EdgeBatchCodec.encode(batch));
        assertThat(back.epoch()).isEqualTo("e1");
        assertThat(back.records()).extracting(EdgeBatch.Entry::seq).containsExactly(41L, 42L);
        assertThat(back.records()).extracting(EdgeBatch.Entry::kind)
                .containsExactly(EdgeBatch.Kind.ALERT, EdgeBatch.Kind.TELEMETRY);
        assertThat(back.records().get(0).json()).isEqualTo(alert);
        assertThat(back.records().get(1).json()).isEqualTo(telemetry);
    }

    @Test
    void shouldRefuseARecordWithoutItsSequence() {
        assertThatThrownBy(() -> EdgeBatchCodec.decode(json("{\"epoch\":\"e\",\"records\":[{\"alert\":{}}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records[0] needs seq");
    }

    @Test
    void shouldRefuseARecordOfBothKinds() {
        assertThatThrownBy(() -> EdgeBatchCodec.decode(json(
                "{\"epoch\":\"e\",\"records\":[{\"seq\":1,\"alert\":{},\"telemetry\":{}}]}")))
                .hasMessageContaining("both alert and telemetry");
    }

    @Test
    void shouldRefuseWhatIsNotJson() {
        assertThatThrownBy(() -> EdgeBatchCodec.decode(json("{\"epoch\":"))).hasMessageContaining("not JSON");
    }

    @Test
    void shouldRefuseABatchWithoutEpoch() {
        assertThatThrownBy(() -> EdgeBatchCodec.decode(json("{\"records\":[]}"))).hasMessageContaining("epoch");
    }
}
