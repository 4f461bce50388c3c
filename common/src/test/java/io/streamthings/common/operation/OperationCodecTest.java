package io.streamthings.common.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperationCodecTest {

    @Test
    void shouldKeepThePayloadByteForByte() {
        OperationMessage op = new OperationMessage("acme", "d1", "op-1", "{\"reboot\":true,\"delay\":[1,2.5,\"é\"]}");
        OperationMessage back = OperationCodec.decodeOperation(OperationCodec.encode(op));
        assertThat(back).isEqualTo(op);
        OperationMessage scalar = new OperationMessage("acme", "d1", "op-2", "\"ping\"");
        assertThat(OperationCodec.decodeOperation(OperationCodec.encode(scalar))).isEqualTo(scalar);
    }

    @Test
    void shouldRoundTripAStatusAndSkipUnknownFields() {
        OperationStatus s = new OperationStatus("acme", "d1", "op-1", OperationStatus.DELIVERED, 42);
        assertThat(OperationCodec.decodeStatus(OperationCodec.encode(s))).isEqualTo(s);
        byte[] newer = ("{\"tenant\":\"acme\",\"extra\":{\"a\":[1]},\"deviceId\":\"d1\",\"operationId\":\"o\","
                + "\"payload\":{}}").getBytes(StandardCharsets.UTF_8);
        assertThat(OperationCodec.decodeOperation(newer).payloadJson()).isEqualTo("{}");
    }

    @Test
    void shouldRefuseWhatIsNotAnOperation() {
        assertThatThrownBy(() -> OperationCodec.decodeOperation("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OperationCodec.decodeOperation("{\"tenant\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("needs");
        assertThatThrownBy(() -> OperationCodec.decodeOperation("{nope".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }

    @Test
    void shouldCarryADevicesResponseAsItIs() {
        OperationStatus s = new OperationStatus("acme", "d1", "op-1", "COMPLETED", 42, "{\"uptime\":[1,2],\"ok\":true}");
        assertThat(OperationCodec.decodeStatus(OperationCodec.encode(s))).isEqualTo(s);
        OperationStatus old = OperationCodec.decodeStatus(("{\"tenant\":\"acme\",\"deviceId\":\"d1\","
                + "\"operationId\":\"o\",\"status\":\"DELIVERED\",\"ts\":1}").getBytes(StandardCharsets.UTF_8));
        assertThat(old.responseJson()).isNull();
    }

    @Test
    void shouldReadADeviceReportAndTakeTheIdentityFromTheTransport() {
        byte[] json = "{\"status\":\"ERROR\",\"tenant\":\"evil\",\"response\":\"disk full\"}"
                .getBytes(StandardCharsets.UTF_8);
        OperationStatus s = OperationCodec.decodeReport("acme", "d1", "op-9", 7, json);
        assertThat(s).isEqualTo(new OperationStatus("acme", "d1", "op-9", "ERROR", 7, "\"disk full\""));
        assertThatThrownBy(() -> OperationCodec.decodeReport("a", "d", "o", 1,
                "{\"response\":1}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("needs a status");
        assertThatThrownBy(() -> OperationCodec.decodeReport("a", "d", "o", 1,
                "{\"status\":3}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    }
}
