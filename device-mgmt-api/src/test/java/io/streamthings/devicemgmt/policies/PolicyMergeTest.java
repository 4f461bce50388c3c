package io.streamthings.devicemgmt.policies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.policies.PolicyMerge.Applicable;
import io.streamthings.devicemgmt.policies.PolicyMerge.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyMergeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode params(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Applicable policy(String id, int priority, Map<String, JsonNode> features) {
        return new Applicable(id, priority, "ENFORCE", features);
    }

    @Test
    void shouldTakeEachFeatureFromTheHighestPriorityPolicy() {
        Applicable site = policy("site", 10, Map.of("set-interval", params("{\"seconds\":60}"),
                "buzz", params("{\"volume\":3}")));
        Applicable group = policy("night-shift", 20, Map.of("set-interval", params("{\"seconds\":600}")));

        Result result = PolicyMerge.merge(List.of(site, group));

        assertThat(result.conflicts()).isEmpty();
        assertThat(result.features().get("set-interval").policyId()).isEqualTo("night-shift");
        assertThat(result.features().get("set-interval").params()).isEqualTo(params("{\"seconds\":600}"));
        assertThat(result.features().get("buzz").policyId()).isEqualTo("site");
        assertThat(result.configuration()).containsOnlyKeys("buzz", "set-interval");
    }

    @Test
    void shouldNotDependOnTheOrderOfThePolicies() {
        List<Applicable> policies = new ArrayList<>(List.of(
                policy("a", 1, Map.of("f", params("1"), "g", params("1"))),
                policy("b", 5, Map.of("f", params("2"))),
                policy("c", 3, Map.of("g", params("3"), "h", params("3")))));
        Result first = PolicyMerge.merge(policies);
        Collections.reverse(policies);
        Result second = PolicyMerge.merge(policies);

        assertThat(second).isEqualTo(first);
        assertThat(first.configuration()).isEqualTo(Map.of("f", params("2"), "g", params("3"), "h", params("3")));
    }

    @Test
    void shouldReportEqualPrioritiesOnOneFeatureAsAConflictAndSettleItBySmallerId() {
        Result result = PolicyMerge.merge(List.of(
                policy("zeta", 7, Map.of("set-interval", params("{\"seconds\":1}"))),
                policy("alpha", 7, Map.of("set-interval", params("{\"seconds\":2}"))),
                policy("low", 1, Map.of("set-interval", params("{\"seconds\":3}")))));

        assertThat(result.conflicts()).containsExactly(
                new PolicyMerge.Conflict("set-interval", 7, List.of("alpha", "zeta")));
        assertThat(result.features().get("set-interval").policyId()).isEqualTo("alpha");
    }

    @Test
    void shouldNotCallEqualPrioritiesOnDifferentFeaturesOrBelowTheWinnerAConflict() {
        Result result = PolicyMerge.merge(List.of(
                policy("a", 5, Map.of("f", params("1"))),
                policy("b", 5, Map.of("g", params("2"))),
                policy("c", 9, Map.of("h", params("0"))),
                policy("d", 1, Map.of("h", params("1"))),
                policy("e", 1, Map.of("h", params("2")))));

        assertThat(result.conflicts()).isEmpty();
        assertThat(result.features().get("h").policyId()).isEqualTo("c");
    }

    @Test
    void shouldMergeNothingIntoAnEmptyPolicy() {
        Result result = PolicyMerge.merge(List.of());
        assertThat(result.features()).isEmpty();
        assertThat(result.conflicts()).isEmpty();
    }
}
