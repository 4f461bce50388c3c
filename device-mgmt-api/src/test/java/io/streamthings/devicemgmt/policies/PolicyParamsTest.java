package io.streamthings.devicemgmt.policies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.operations.ParamsValidator;
import org.junit.jupiter.api.Test;

/** A policy's params checked against the feature's JSON schema, with paths that name the feature. */
class PolicyParamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ParamsValidator VALIDATOR = new ParamsValidator();
    private static final JsonNode INTERVAL = json("{\"type\":\"object\",\"required\":[\"seconds\"],"
            + "\"additionalProperties\":false,\"properties\":{\"seconds\":{\"type\":\"integer\",\"minimum\":1}}}");

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void shouldAcceptParamsThatKeepTheSchema() {
        assertThat(PolicyService.schemaProblems(VALIDATOR, "set-interval", INTERVAL, json("{\"seconds\":60}")))
                .isEmpty();
        assertThat(PolicyService.schemaProblems(VALIDATOR, "reboot", null, json("{\"any\":1}"))).isEmpty();
    }

    @Test
    void shouldNameTheFeatureAndThePathOfEachProblem() {
        assertThat(PolicyService.schemaProblems(VALIDATOR, "set-interval", INTERVAL, json("{\"seconds\":\"often\"}")))
                .singleElement().asString().startsWith("features.set-interval.seconds").contains("integer");
        assertThat(PolicyService.schemaProblems(VALIDATOR, "set-interval", INTERVAL, json("{}")))
                .singleElement().asString().startsWith("features.set-interval").contains("seconds");
        assertThat(PolicyService.schemaProblems(VALIDATOR, "set-interval", INTERVAL, json("{\"seconds\":0}")))
                .singleElement().asString().startsWith("features.set-interval.seconds");
        assertThat(PolicyService.schemaProblems(VALIDATOR, "set-interval", INTERVAL,
                json("{\"seconds\":5,\"speed\":1}"))).singleElement().asString().contains("speed");
    }
}
