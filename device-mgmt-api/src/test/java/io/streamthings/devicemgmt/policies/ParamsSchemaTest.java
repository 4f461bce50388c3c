package io.streamthings.devicemgmt.policies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ParamsSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode INTERVAL = json("{\"type\":\"object\",\"required\":[\"seconds\"],"
            + "\"additionalProperties\":false,\"properties\":{\"seconds\":{\"type\":\"integer\",\"minimum\":1,"
            + "\"maximum\":3600},\"mode\":{\"enum\":[\"eco\",\"fast\"]},\"tags\":{\"type\":\"array\",\"maxItems\":2,"
            + "\"items\":{\"type\":\"string\",\"pattern\":\"^[a-z]+$\"}}}}");

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void shouldAcceptParamsThatKeepTheSchema() {
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":60,\"mode\":\"eco\",\"tags\":[\"a\"]}"), "p"))
                .isEmpty();
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":60.0}"), "p")).isEmpty();
    }

    @Test
    void shouldNameEveryBrokenRuleWithItsPath() {
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":\"often\"}"), "features.set-interval"))
                .containsExactly("features.set-interval.seconds: expected integer, got \"often\"");
        assertThat(ParamsSchema.problems(INTERVAL, json("{}"), "p")).containsExactly("p.seconds: required");
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":0}"), "p"))
                .containsExactly("p.seconds: must be at least 1");
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":5,\"speed\":1}"), "p"))
                .containsExactly("p.speed: unknown property");
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":5,\"mode\":\"turbo\"}"), "p"))
                .containsExactly("p.mode: must be one of [\"eco\",\"fast\"]");
        assertThat(ParamsSchema.problems(INTERVAL, json("{\"seconds\":5,\"tags\":[\"a\",\"B\",\"c\"]}"), "p"))
                .containsExactly("p.tags: at most 2 items", "p.tags[1]: must match ^[a-z]+$");
        assertThat(ParamsSchema.problems(INTERVAL, json("[1]"), "p")).containsExactly("p: expected object, got an array");
    }

    @Test
    void shouldAcceptAnythingWithoutASchema() {
        assertThat(ParamsSchema.problems(null, json("{\"x\":1}"), "p")).isEmpty();
        assertThat(ParamsSchema.problems(json("{}"), json("3"), "p")).isEmpty();
    }
}
