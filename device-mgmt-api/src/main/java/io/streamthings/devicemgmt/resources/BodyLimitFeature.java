package io.streamthings.devicemgmt.resources;

import io.streamthings.devicemgmt.errors.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Bounds every request body of the management API before anything parses it (bulk enrollment, rules, every JSON
 * body): a declared {@code Content-Length} over the bound is refused at once with 413, and a body sent without one
 * (chunked) is read up to the bound and refused with 413 once it passes it. Resources that bound their own input
 * (ingest, when it shares this Jersey in the standalone mode) are left alone.
 */
public class BodyLimitFeature implements DynamicFeature {

    private final long maxBytes;
    private final Set<Class<?>> exempt;

    public BodyLimitFeature(long maxBytes, Set<Class<?>> exempt) {
        this.maxBytes = maxBytes;
        this.exempt = Set.copyOf(exempt);
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Class<?> resourceClass = resourceInfo.getResourceClass();
        if (resourceClass == null || exempt.contains(resourceClass)) {
            return;
        }
        context.register(new BodyLimitFilter(maxBytes), Priorities.AUTHENTICATION - 10);
    }

    /** The bound on one request. */
    @Priority(Priorities.AUTHENTICATION - 10)
    static final class BodyLimitFilter implements ContainerRequestFilter {

        private final long maxBytes;

        BodyLimitFilter(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void filter(ContainerRequestContext request) throws IOException {
            if (request.getLength() > maxBytes) {
                request.abortWith(tooLarge());
                return;
            }
            if (request.getLength() >= 0 || !request.hasEntity()) {
                // Jetty delivers no more than the declared length.
                return;
            }
            // No length declared: read at most one byte past the bound, so a too large body is known before parsing.
            InputStream in = request.getEntityStream();
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                request.abortWith(tooLarge());
                return;
            }
            request.setEntityStream(new ByteArrayInputStream(body));
        }

        private Response tooLarge() {
            return ErrorResponses.of(413, "request body larger than " + maxBytes + " bytes (limits.maxBodyBytes)");
        }
    }
}
