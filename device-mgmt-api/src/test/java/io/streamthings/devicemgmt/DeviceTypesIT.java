package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Device types through the API alone, and every refusal. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeviceTypesIT {

    private static final AppUnderTest APP = AppUnderTest.create("device_types_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static final String THERMOMETER = """
            {"name": "thermometer", "description": "Measures temperature",
             "features": [{"code": "reboot", "name": "Reboot", "params": {"type": "object",
                           "properties": {"delaySeconds": {"type": "integer", "minimum": 0}}}}],
             "metrics": [{"name": "temperature", "unit": "°C", "type": "number", "min": -40, "max": 125}],
             "properties": [{"name": "site", "required": true}],
             "transports": ["mqtt", "http"]}
            """;

    private static Api api;
    private static String admin;

    @BeforeAll
    static void login() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
    }

    @Test
    void shouldCreateReadListReplaceAndDeleteADeviceType() {
        Api.Reply created = api.post("/api/v1/device-types", admin, THERMOMETER.replace("thermometer", "t1"))
                .assertStatus(201);
        assertThat(created.headers().get("location")).anyMatch(l -> l.endsWith("/api/v1/device-types/t1"));
        JsonNode type = api.get("/api/v1/device-types/t1", admin).assertStatus(200).json();
        assertThat(type.at("/features/0/params/properties/delaySeconds/type").asText()).isEqualTo("integer");
        assertThat(type.at("/metrics/0/unit").asText()).isEqualTo("°C");
        assertThat(type.at("/properties/0/required").asBoolean()).isTrue();

        JsonNode page = api.get("/api/v1/device-types?limit=10", admin).assertStatus(200).json();
        assertThat(page.path("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(page.path("limit").asInt()).isEqualTo(10);

        JsonNode replaced = api.put("/api/v1/device-types/t1", admin,
                "{\"name\":\"t1\",\"description\":\"changed\"}").assertStatus(200).json();
        assertThat(replaced.path("description").asText()).isEqualTo("changed");
        assertThat(replaced.path("features")).isEmpty();

        api.delete("/api/v1/device-types/t1", admin).assertStatus(204);
        api.get("/api/v1/device-types/t1", admin).assertError(404);
        api.delete("/api/v1/device-types/t1", admin).assertError(404);
    }

    @Test
    void shouldRefuseADuplicateName() {
        api.post("/api/v1/device-types", admin, THERMOMETER.replace("thermometer", "dup")).assertStatus(201);

        api.post("/api/v1/device-types", admin, THERMOMETER.replace("thermometer", "dup")).assertError(409);
    }

    @Test
    void shouldRefuseMalformedJsonUnknownFieldsAndWrongTypes() {
        api.post("/api/v1/device-types", admin, "{\"name\": \"x\",").assertError(400);
        api.post("/api/v1/device-types", admin, "not json at all").assertError(400);
        Api.Reply unknown = api.post("/api/v1/device-types", admin, "{\"name\":\"x\",\"colour\":\"red\"}")
                .assertError(400);
        assertThat(unknown.json().path("message").asText()).contains("colour");
        api.post("/api/v1/device-types", admin, "{\"name\":\"x\",\"features\":\"reboot\"}").assertError(400);
        api.post("/api/v1/device-types", admin, "").assertError(400);
        api.post("/api/v1/device-types", admin, "[]").assertError(400);
    }

    @Test
    void shouldRefuseOverLongAndBadlyShapedValues() {
        Api.Reply longName = api.post("/api/v1/device-types", admin, "{\"name\":\"" + "n".repeat(65) + "\"}")
                .assertError(400);
        assertThat(longName.json().path("details")).isNotEmpty();
        api.post("/api/v1/device-types", admin, "{\"name\":\"ok\",\"description\":\"" + "d".repeat(1001) + "\"}")
                .assertError(400);
        api.post("/api/v1/device-types", admin, "{\"name\":\"a/b\"}").assertError(400);
        api.post("/api/v1/device-types", admin, "{\"name\":\"x\",\"metrics\":[{\"name\":\"t\",\"min\":5,\"max\":1}]}")
                .assertError(400);
        api.post("/api/v1/device-types", admin,
                "{\"name\":\"x\",\"features\":[{\"code\":\"a\"},{\"code\":\"a\"}]}").assertError(400);
        api.post("/api/v1/device-types", admin, "{\"name\":\"x\",\"transports\":[\"carrier-pigeon\"]}")
                .assertError(400);
    }

    @Test
    void shouldRefuseToRenameThroughPut() {
        api.post("/api/v1/device-types", admin, THERMOMETER.replace("thermometer", "fixed")).assertStatus(201);

        api.put("/api/v1/device-types/fixed", admin, "{\"name\":\"other\"}").assertError(400);
        api.put("/api/v1/device-types/missing", admin, "{\"name\":\"missing\"}").assertError(404);
    }

    @Test
    void shouldRefuseToDeleteADeviceTypeInUse() {
        api.post("/api/v1/device-types", admin, THERMOMETER.replace("thermometer", "busy")).assertStatus(201);
        api.post("/api/v1/devices", admin, "{\"name\":\"d\",\"type\":\"busy\",\"properties\":{\"site\":\"a\"}}")
                .assertStatus(201);

        Api.Reply reply = api.delete("/api/v1/device-types/busy", admin).assertError(409);

        assertThat(reply.json().path("message").asText()).contains("1 device");
        api.get("/api/v1/device-types/busy", admin).assertStatus(200);
    }

    @Test
    void shouldKeepDeviceTypesOfTenantsApart() {
        api.post("/api/v1/device-types", admin, THERMOMETER.replace("thermometer", "mine")).assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"olga\",\"password\":\"olga-password\","
                + "\"roles\":[\"admin\"],\"tenant\":\"other-co\"}").assertStatus(201);
        String olga = api.login("olga", "olga-password");

        api.get("/api/v1/device-types/mine", olga).assertError(404);
        api.post("/api/v1/device-types", olga, THERMOMETER.replace("thermometer", "mine")).assertStatus(201);
        assertThat(api.get("/api/v1/device-types", olga).json().path("total").asLong()).isEqualTo(1);
    }
}
