package io.streamthings.edge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EdgeRuleSpecTest {

    @Test
    void shouldReadWhatItWrites() {
        EdgeRuleSpec spec = new EdgeRuleSpec("hot.1", 4, EdgeRuleSpec.Action.DEPLOY, true, "@App:name('x')");
        assertThat(EdgeRuleSpec.parse(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void shouldReadTheOperationsServicesPayload() {
        String payload = "{\"operationId\":\"op-9\",\"kind\":\"EDGE_RULE\",\"code\":\"hot\",\"params\":"
                + "{\"version\":3,\"state\":\"carry\",\"app\":\"@App:name('x')\"},\"idempotencyKey\":\"k\","
                + "\"oneWay\":false,\"timeoutSeconds\":300,\"expiresAt\":\"2026-12-08T00:00:00Z\"}";
        assertThat(EdgeRuleSpec.parse(payload))
                .isEqualTo(new EdgeRuleSpec("hot", 3, EdgeRuleSpec.Action.DEPLOY, true, "@App:name('x')"));
    }

    @Test
    void shouldRefuseARuleIdThatCouldNameAnotherFile() {
        assertThatThrownBy(() -> EdgeRuleSpec.parse("{\"ruleId\":\"../x\",\"version\":1,\"app\":\"a\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ruleId");
    }

    @Test
    void shouldRefuseAnotherKindOfOperation() {
        assertThatThrownBy(() -> EdgeRuleSpec.parse("{\"kind\":\"COMMAND\",\"ruleId\":\"x\",\"version\":1}"))
                .hasMessageContaining("only EDGE_RULE");
    }

    @Test
    void shouldRefuseADeploymentWithoutItsApp() {
        assertThatThrownBy(() -> EdgeRuleSpec.parse("{\"ruleId\":\"x\",\"version\":1}"))
                .hasMessageContaining("app");
    }

    @Test
    void shouldRefuseAVersionThatIsNotPositive() {
        assertThatThrownBy(() -> EdgeRuleSpec.parse("{\"ruleId\":\"x\",\"version\":0,\"app\":\"a\"}"))
                .hasMessageContaining("version");
    }
}
