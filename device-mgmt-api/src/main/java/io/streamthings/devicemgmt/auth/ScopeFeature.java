package io.streamthings.devicemgmt.auth;

import io.streamthings.devicemgmt.errors.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first authorization check, denying by default: every method marked {@link RequiresScope} or {@link Authenticated}
 * gets the bearer authentication filter, and a {@link RequiresScope} method also a filter that refuses a token lacking
 * the scope (403). A {@link PublicEndpoint} method, or any method of a class named public when the feature is built
 * (the dashboards' static files, which live in a module that cannot see these annotations), needs no token. Any other
 * method answers 403 to everyone: a forgotten annotation closes an endpoint rather than opening it.
 */
public class ScopeFeature implements DynamicFeature {

    private static final Logger LOG = LoggerFactory.getLogger(ScopeFeature.class);

    private final ContainerRequestFilter authFilter;
    private final Set<Class<?>> publicResources;

    public ScopeFeature(ContainerRequestFilter authFilter, Set<Class<?>> publicResources) {
        this.authFilter = authFilter;
        this.publicResources = Set.copyOf(publicResources);
    }

    /** The access rule a method of {@code resourceClass} declares, or {@code null} when it declares none. */
    public static Class<?> accessRule(Class<?> resourceClass, Method method, Set<Class<?>> publicResources) {
        if (method.isAnnotationPresent(RequiresScope.class)) {
            return RequiresScope.class;
        }
        if (method.isAnnotationPresent(Authenticated.class)) {
            return Authenticated.class;
        }
        if (method.isAnnotationPresent(PublicEndpoint.class) || publicResources.contains(resourceClass)) {
            return PublicEndpoint.class;
        }
        return null;
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Method method = resourceInfo.getResourceMethod();
        Class<?> resourceClass = resourceInfo.getResourceClass();
        if (method == null || resourceClass == null || resourceClass.getName().startsWith("org.glassfish.jersey.")) {
            // Jersey's own handlers (automatic OPTIONS and HEAD answers) carry no data of ours.
            return;
        }
        Class<?> rule = accessRule(resourceClass, method, publicResources);
        if (rule == null) {
            LOG.error("{}.{} declares no access rule (@RequiresScope, @Authenticated or @PublicEndpoint): it answers "
                    + "403 to every caller", resourceClass.getSimpleName(), method.getName());
            context.register(new DenyFilter(), Priorities.AUTHENTICATION - 1);
            return;
        }
        if (rule == RequiresScope.class || rule == Authenticated.class) {
            context.register(authFilter, Priorities.AUTHENTICATION);
        }
        if (rule == RequiresScope.class) {
            context.register(new ScopeFilter(method.getAnnotation(RequiresScope.class).value()),
                    Priorities.AUTHORIZATION);
        }
    }

    /** The answer to a method nobody said may be called. */
    @Priority(Priorities.AUTHENTICATION - 1)
    static final class DenyFilter implements ContainerRequestFilter {

        @Override
        public void filter(ContainerRequestContext request) {
            request.abortWith(ErrorResponses.of(403, "this endpoint declares no access rule, so nobody may call it"));
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
