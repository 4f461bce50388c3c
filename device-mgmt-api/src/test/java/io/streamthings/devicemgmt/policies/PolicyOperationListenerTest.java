package io.streamthings.devicemgmt.policies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyOperationListenerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void shouldReadTheComplianceMapOfAPolicyOperationsResponse() {
        assertThat(PolicyOperationListener.compliance(json("{\"compliance\":{\"a\":\"compliant\","
                + "\"b\":\"non-compliant\",\"c\":\"pending\"}}")))
                .containsExactly(Map.entry("a", ComplianceState.COMPLIANT),
                        Map.entry("b", ComplianceState.NON_COMPLIANT), Map.entry("c", ComplianceState.PENDING));
    }

    @Test
    void shouldIgnoreAResponseWithoutAReadableComplianceMap() {
        assertThat(PolicyOperationListener.compliance(null)).isNull();
        assertThat(PolicyOperationListener.compliance(json("{\"ok\":true}"))).isNull();
        assertThat(PolicyOperationListener.compliance(json("{\"compliance\":[1]}"))).isNull();
        assertThat(PolicyOperationListener.compliance(json("{\"compliance\":{\"a\":\"sort of\"}}"))).isNull();
    }

    @Test
    void shouldReachADeviceThroughItsTypeGroupOwnerOrOwnersRole() {
        DeviceContextRow d = new DeviceContextRow("d1", "thermo", "ann", new String[] {"floor-1"},
                new String[] {"night"});
        assertThat(PolicyService.reaches(List.of(new AssignmentRow("p", "TYPE", "thermo")), d)).isTrue();
        assertThat(PolicyService.reaches(List.of(new AssignmentRow("p", "GROUP", "floor-1")), d)).isTrue();
        assertThat(PolicyService.reaches(List.of(new AssignmentRow("p", "USER", "ann")), d)).isTrue();
        assertThat(PolicyService.reaches(List.of(new AssignmentRow("p", "ROLE", "night")), d)).isTrue();
        assertThat(PolicyService.reaches(List.of(new AssignmentRow("p", "GROUP", "floor-2"),
                new AssignmentRow("p", "USER", "bob"), new AssignmentRow("p", "ROLE", "day"),
                new AssignmentRow("p", "TYPE", "lamp")), d)).isFalse();
        assertThat(PolicyService.reaches(List.of(), d)).isFalse();
    }
}
