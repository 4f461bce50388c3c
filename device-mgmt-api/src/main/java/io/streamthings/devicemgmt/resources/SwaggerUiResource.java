package io.streamthings.devicemgmt.resources;

import io.streamthings.devicemgmt.auth.PublicEndpoint;
import io.streamthings.devicemgmt.errors.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * Swagger UI at {@code /api/v1/swagger}: our own page pointing at our document, with the scripts and styles of the
 * swagger-ui webjar. Only the webjar files named below are served, so no path can reach anything else.
 */
@Path("/api/v1/swagger")
@Hidden
public class SwaggerUiResource {

    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css",
            "index.css", "text/css",
            "swagger-ui-bundle.js", "application/javascript",
            "swagger-ui-standalone-preset.js", "application/javascript",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png",
            "oauth2-redirect.html", "text/html",
            "oauth2-redirect.js", "application/javascript");

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="UTF-8">
              <title>StreamThings API</title>
              <link rel="stylesheet" href="/api/v1/swagger/swagger-ui.css">
              <link rel="icon" type="image/png" href="/api/v1/swagger/favicon-32x32.png" sizes="32x32">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/api/v1/swagger/swagger-ui-bundle.js"></script>
              <script src="/api/v1/swagger/swagger-ui-standalone-preset.js"></script>
              <script src="/api/v1/swagger/initializer.js"></script>
            </body>
            </html>
            """;

    private static final String INITIALIZER = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "/api/v1/openapi.json",
                dom_id: "#swagger-ui",
                deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                layout: "StandaloneLayout",
                oauth2RedirectUrl: window.location.origin + "/api/v1/swagger/oauth2-redirect.html"
              });
            };
            """;

    private final String version;

    public SwaggerUiResource() {
        this.version = webjarVersion();
    }

    /** The Swagger UI page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    @PublicEndpoint
    public String page() {
        return PAGE;
    }

    /** Our initializer, in place of the webjar's demo one. */
    @GET
    @Path("/initializer.js")
    @Produces("application/javascript")
    @PublicEndpoint
    public String initializer() {
        return INITIALIZER;
    }

    /** A file of the swagger-ui webjar. */
    @GET
    @Path("/{file}")
    @PublicEndpoint
    public Response asset(@PathParam("file") String file) {
        String type = ASSETS.get(file);
        InputStream in = type == null ? null : getClass().getResourceAsStream(WEBJAR + version + "/" + file);
        if (in == null) {
            throw ApiException.notFound("not found");
        }
        CacheControl cache = new CacheControl();
        cache.setMaxAge(86_400);
        return Response.ok(in, type).cacheControl(cache).build();
    }

    private static String webjarVersion() {
        try (InputStream in = SwaggerUiResource.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "5.34.1");
        } catch (IOException e) {
            return "5.34.1";
        }
    }
}
