package io.streamthings.devicemgmt.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ParamsValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ParamsValidator validator = new ParamsValidator();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void shouldAcceptParamsThatMatchAndNameWhatDoesNot() throws Exception {
        JsonNode schema = json("{\"type\":\"object\",\"required\":[\"seconds\"],\"properties\":"
                + "{\"seconds\":{\"type\":\"integer\",\"minimum\":1}},\"additionalProperties\":false}");
        assertThat(validator.violations(schema, json("{\"seconds\":5}"))).isEmpty();
        assertThat(validator.violations(schema, json("{\"seconds\":0}"))).singleElement().asString()
                .contains("seconds");
        assertThat(validator.violations(schema, json("{}"))).isNotEmpty();
        assertThat(validator.violations(schema, json("{\"seconds\":5,\"more\":1}"))).isNotEmpty();
    }

    @Test
    void shouldTakeAnyParamsWhenTheFeatureHasNoSchema() throws Exception {
        assertThat(validator.violations(null, json("{\"anything\":[1]}"))).isEmpty();
        assertThat(validator.violations(json("{}"), json("{\"anything\":[1]}"))).isEmpty();
    }

    @Test
    void shouldNotFetchARemoteSchema() throws Exception {
        // Port 1 on loopback: were it fetched, the answer would be a connection error, not a refusal without asking.
        JsonNode schema = json("{\"$ref\":\"http://127.0.0.1:1/schema.json\"}");
        assertThat(validator.violations(schema, json("{}"))).singleElement().asString()
                .contains("cannot be used").doesNotContain("Connection refused");
    }
}
