package io.streamthings.devicemgmt.resources;

import io.streamthings.devicemgmt.auth.PublicEndpoint;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.function.Supplier;

/** Serves the OpenAPI document, built on first request from the resources' annotations. */
@Path("/api/v1/openapi.json")
@Hidden
public class OpenApiResource {

    private final Supplier<String> document;

    private OpenApiResource(Supplier<String> document) {
        this.document = document;
    }

    /** The resource for the document of these resource classes (a factory, so Jersey sees no constructor to inject). */
    public static OpenApiResource of(Set<Class<?>> resourceClasses) {
        return new OpenApiResource(memoize(() -> OpenApiDocument.json(resourceClasses)));
    }

    /** The OpenAPI 3 document of this API. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @PublicEndpoint
    public String document() {
        return document.get();
    }

    private static Supplier<String> memoize(Supplier<String> supplier) {
        return new Supplier<>() {
            private volatile String value;

            @Override
            public String get() {
                String v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
