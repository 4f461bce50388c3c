package io.streamthings.devicemgmt.resources;

import io.streamthings.devicemgmt.api.ErrorResponse;
import io.streamthings.devicemgmt.auth.Scopes;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the OpenAPI 3 document from the Swagger annotations of the resource classes, once. The shared error answers
 * and the OAuth2 scheme (with every scope) are declared here so that each operation can refer to them.
 */
public final class OpenApiDocument {

    private OpenApiDocument() {}

    /** The document as JSON. */
    public static String json(Set<Class<?>> resourceClasses) {
        try {
            return Json.pretty(build(resourceClasses));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot build the OpenAPI document", e);
        }
    }

    static OpenAPI build(Set<Class<?>> resourceClasses) {
        Components components = new Components();
        ModelConverters.getInstance().readAll(ErrorResponse.class).forEach(components::addSchemas);
        components.addSecuritySchemes("bearer", new SecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("Bearer access token from POST /api/v1/oauth2/token")
                .flows(new OAuthFlows()
                        .password(flow())
                        .clientCredentials(flow())));
        components.addSecuritySchemes("deviceToken", new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description("A device's own token: Bearer <deviceId>@<tenant>:<token> (the device-side endpoints)"));
        error(components, "BadRequest", "bad input: malformed JSON, unknown field, too long, out of range");
        error(components, "Unauthorized", "no token, or a bad, expired or revoked one");
        error(components, "Forbidden", "the token lacks the scope this call needs");
        error(components, "NotFound", "no such resource, or the caller may not act on it");
        error(components, "Conflict", "duplicate id or name, or the resource is in use");
        error(components, "Unprocessable", "valid JSON that breaks a rule, e.g. an unknown device type");
        error(components, "PayloadTooLarge", "more than the call accepts");
        OpenAPI base = new OpenAPI()
                .info(new Info()
                        .title("StreamThings device management API")
                        .version("v1")
                        .description("Device types, devices and their credentials, groups, users, roles and scopes. "
                                + "Every call but the token endpoint takes a bearer token; the scope each call needs "
                                + "is given in its description. Errors are {\"code\", \"message\", \"details\"?}.")
                        .license(new License().name("Apache-2.0")))
                .servers(List.of(new Server().url("/")))
                .components(components);
        SwaggerConfiguration config = new SwaggerConfiguration().openAPI(base).prettyPrint(true)
                .readAllResources(false);
        return new Reader(config).read(new LinkedHashSet<>(resourceClasses));
    }

    private static OAuthFlow flow() {
        io.swagger.v3.oas.models.security.Scopes scopes = new io.swagger.v3.oas.models.security.Scopes();
        Scopes.ALL.stream().sorted().forEach(s -> scopes.addString(s, s));
        return new OAuthFlow().tokenUrl("/api/v1/oauth2/token").scopes(scopes);
    }

    private static void error(Components components, String name, String description) {
        components.addResponses(name, new ApiResponse()
                .description(description)
                .content(new Content().addMediaType("application/json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/Error")))));
    }
}
