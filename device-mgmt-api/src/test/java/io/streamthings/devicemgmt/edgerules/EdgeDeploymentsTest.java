package io.streamthings.devicemgmt.edgerules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.devicemgmt.operations.OperationState;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EdgeDeploymentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldBuildTheParamsTheRuntimeReads() {
        ObjectNode p = EdgeDeployments.params(3, "carry", "@App:name('hot') ...");
        assertThat(p.path("version").asLong()).isEqualTo(3);
        assertThat(p.path("action").asText()).isEqualTo("deploy");
        assertThat(p.path("state").asText()).isEqualTo("carry");
        assertThat(p.path("app").asText()).isEqualTo("@App:name('hot') ...");
        assertThat(p.size()).isEqualTo(4);
    }

    @Test
    void shouldCarryStateByDefaultAndRefuseAnUnknownMode() {
        assertThat(EdgeDeployments.stateMode(null)).isEqualTo("carry");
        assertThat(EdgeDeployments.stateMode(" ")).isEqualTo("carry");
        assertThat(EdgeDeployments.stateMode("reset")).isEqualTo("reset");
        assertThatThrownBy(() -> EdgeDeployments.stateMode("keep"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carry or reset");
    }

    @Test
    void shouldReadTheDeploymentStateOffTheOperations() {
        for (OperationState open : OperationState.OPEN) {
            assertThat(EdgeDeployments.state(open)).isEqualTo("IN_PROGRESS");
        }
        assertThat(EdgeDeployments.state(OperationState.COMPLETED)).isEqualTo("RUNNING");
        assertThat(EdgeDeployments.state(OperationState.ERROR)).isEqualTo("FAILED");
        assertThat(EdgeDeployments.state(OperationState.REJECTED)).isEqualTo("FAILED");
        assertThat(EdgeDeployments.state(OperationState.TIMED_OUT)).isEqualTo("TIMED_OUT");
        assertThat(EdgeDeployments.state(OperationState.EXPIRED)).isEqualTo("EXPIRED");
    }

    @Test
    void shouldGiveTheRuntimesReasonForAFailure() throws Exception {
        assertThat(EdgeDeployments.reason(OperationState.ERROR,
                JSON.readTree("{\"message\":\"line 3, column 17: no such stream\",\"line\":3,\"column\":17}")))
                .isEqualTo("line 3, column 17: no such stream");
        assertThat(EdgeDeployments.reason(OperationState.TIMED_OUT, null)).contains("timeout");
        assertThat(EdgeDeployments.reason(OperationState.EXPIRED, null)).contains("expired");
        assertThat(EdgeDeployments.reason(OperationState.COMPLETED, JSON.readTree("{\"message\":\"ok\"}"))).isNull();
    }

    @Test
    void shouldBeStaleOnlyPastTheGivenIntervals() {
        assertThat(EdgeDeployments.stale(1_000, 1_000, 30_000)).isFalse();
        assertThat(EdgeDeployments.stale(31_000, 1_000, 30_000)).isFalse();
        assertThat(EdgeDeployments.stale(31_001, 1_000, 30_000)).isTrue();
    }

    @Test
    void shouldKeepTheNewestReportPerDeviceAndForgetOnATombstone() {
        EdgeStatusReader reader = new EdgeStatusReader("127.0.0.1:1");
        reader.apply("t1/d1", report("t1", "d1", 2_000, 7));
        reader.apply("t1/d1", report("t1", "d1", 1_000, 6));
        reader.apply("t2/d1", report("t2", "d1", 1_000, 1));
        reader.apply("t1/d2", "not json".getBytes(StandardCharsets.UTF_8));
        reader.apply("t1/d3", "{\"receivedAt\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.ofTenant("t1")).singleElement().satisfies(h -> {
            assertThat(h.deviceId()).isEqualTo("d1");
            assertThat(h.receivedAt()).isEqualTo(2_000);
            assertThat(h.report().path("queue").path("records").asLong()).isEqualTo(7);
        });
        reader.apply("t1/d1", null);
        assertThat(reader.of("t1", "d1")).isEmpty();
        assertThat(reader.of("t2", "d1")).isPresent();
    }

    private static byte[] report(String tenant, String device, long receivedAt, long records) {
        return ("{\"tenant\":\"" + tenant + "\",\"deviceId\":\"" + device + "\",\"receivedAt\":" + receivedAt
                + ",\"report\":{\"queue\":{\"records\":" + records + "}}}").getBytes(StandardCharsets.UTF_8);
    }
}
