package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document validates, documents every endpoint with its scope and errors; Swagger UI is served. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiIT {

    private static final AppUnderTest APP = AppUnderTest.create("openapi_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    @Test
    void shouldServeAnOpenApi3DocumentWithoutValidationMessages() {
        Api.Reply reply = APP.api().get("/api/v1/openapi.json", null).assertStatus(200);

        SwaggerParseResult result = new OpenAPIParser().readContents(reply.body(), null, null);

        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.");
        assertThat(api.getPaths()).containsKeys("/api/v1/oauth2/token", "/api/v1/device-types",
                "/api/v1/device-types/{name}", "/api/v1/devices", "/api/v1/devices/bulk", "/api/v1/devices/{id}",
                "/api/v1/devices/{id}/token", "/api/v1/groups", "/api/v1/groups/{id}",
                "/api/v1/groups/{id}/devices/{deviceId}", "/api/v1/groups/{id}/roles", "/api/v1/users",
                "/api/v1/users/{name}", "/api/v1/roles", "/api/v1/roles/{name}", "/api/v1/activities");
    }

    @Test
    void shouldDocumentTheScopeAndErrorsOfEveryOperation() {
        OpenAPI api = new OpenAPIParser().readContents(APP.api().get("/api/v1/openapi.json", null).body(), null, null)
                .getOpenAPI();
        List<String> operations = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            operations.add(method + " " + path);
            assertThat(op.getSummary()).as(method + " " + path).isNotBlank();
            if (!path.equals("/api/v1/oauth2/token")) {
                assertThat(op.getSecurity()).as(method + " " + path).isNotEmpty();
                assertThat(op.getResponses()).as(method + " " + path).containsKey("401");
                // The device side takes a device token, which carries no scope.
                if (!path.equals("/api/v1/oauth2/revoke") && !path.startsWith("/api/v1/device/")) {
                    assertThat(op.getDescription()).as(method + " " + path).contains("Scope: ");
                    assertThat(op.getResponses()).containsKey("403");
                    assertThat(scopes(op)).as(method + " " + path).isNotEmpty();
                }
            }
        }));
        assertThat(operations).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void shouldServeSwaggerUiPointingAtOurDocument() {
        Api api = APP.api();
        Api.Reply page = api.get("/api/v1/swagger", null).assertStatus(200);
        assertThat(page.body()).contains("swagger-ui-bundle.js");
        assertThat(api.get("/api/v1/swagger/initializer.js", null).assertStatus(200).body())
                .contains("/api/v1/openapi.json");
        assertThat(api.get("/api/v1/swagger/swagger-ui-bundle.js", null).assertStatus(200).body().length())
                .isGreaterThan(100_000);
        // Jetty itself refuses an encoded slash before the application sees it.
        Api.Reply traversal = api.get("/api/v1/swagger/..%2F..%2Fpom.properties", null).assertStatus(400);
        traversal.assertNoStackTrace();
        api.get("/api/v1/swagger/pom.xml", null).assertError(404);
    }

    private static List<String> scopes(Operation op) {
        return op.getSecurity().stream().flatMap(r -> r.values().stream()).flatMap(List::stream).toList();
    }
}
