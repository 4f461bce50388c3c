package io.streamthings.devicemgmt.auth;

import io.streamthings.devicemgmt.errors.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * The first authorization check: every method marked {@link RequiresScope} or {@link Authenticated} gets the bearer
 * authentication filter, and a {@link RequiresScope} method also a filter that refuses a token lacking the scope (403).
 */
public class ScopeFeature implements DynamicFeature {

    private final ContainerRequestFilter authFilter;

    public ScopeFeature(ContainerRequestFilter authFilter) {
        this.authFilter = authFilter;
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        var method = resourceInfo.getResourceMethod();
        RequiresScope scope = method.getAnnotation(RequiresScope.class);
        if (scope != null || method.isAnnotationPresent(Authenticated.class)) {
            context.register(authFilter, Priorities.AUTHENTICATION);
        }
        if (scope != null) {
            context.register(new ScopeFilter(scope.value()), Priorities.AUTHORIZATION);
        }
    }

    @Priority(Priorities.AUTHORIZATION)
    static final class ScopeFilter implements ContainerRequestFilter {

        private final String scope;

        ScopeFilter(String scope) {
            this.scope = scope;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            if (!(request.getSecurityContext().getUserPrincipal() instanceof Caller caller)) {
                request.abortWith(ErrorResponses.of(401, "missing, invalid, expired or revoked bearer token"));
            } else if (!caller.hasScope(scope)) {
                request.abortWith(ErrorResponses.of(403, "this call needs scope " + scope));
            }
        }
    }
}
