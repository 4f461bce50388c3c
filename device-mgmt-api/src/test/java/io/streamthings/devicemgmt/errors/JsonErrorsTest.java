package io.streamthings.devicemgmt.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.api.DeviceTypeSpec;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void shouldNameAnUnknownFieldAndWhereItIs() {
        assertThat(describe("{\"name\":\"x\",\"colour\":1}")).isEqualTo("unknown field \"colour\"");
        assertThat(describe("{\"name\":\"x\",\"features\":[{\"code\":\"a\",\"colour\":1}]}"))
                .isEqualTo("unknown field \"colour\" in features[0]");
    }

    @Test
    void shouldDescribeMalformedJsonAndWrongTypesWithoutJavaNames() {
        assertThat(describe("{\"name\":")).startsWith("malformed JSON");
        assertThat(describe("{\"name\":\"x\",\"features\":\"reboot\"}")).isEqualTo("features: wrong JSON type");
        assertThat(describe("[1]")).isEqualTo("request body has the wrong JSON shape");
        for (String body : new String[] {"{\"name\":", "{\"features\":\"x\"}", "[1]", "{\"a\":1}"}) {
            assertThat(describe(body)).doesNotContain("io.streamthings", "java.", "Exception");
        }
    }

    private static String describe(String body) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> JSON.readValue(body, DeviceTypeSpec.class));
        return JsonErrors.describe(e);
    }
}
