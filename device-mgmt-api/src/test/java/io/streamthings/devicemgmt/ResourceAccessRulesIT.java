package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.auth.Authenticated;
import io.streamthings.devicemgmt.auth.PublicEndpoint;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.ScopeFeature;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.resources.AlertResource;
import io.streamthings.devicemgmt.resources.RuleResource;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deny by default: every resource the started application registers (read from its Jersey configuration, not from a
 * list kept by hand) declares one access rule on every method, and a method that declares none answers 403.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ResourceAccessRulesIT {

    /** The application plus one resource whose author forgot the access rule. */
    public static class WithUnguardedResource extends DeviceMgmtApplication {
        @Override
        public void run(DeviceMgmtConfiguration config, Environment environment) throws Exception {
            super.run(config, environment);
            environment.jersey().register(new Unguarded());
        }
    }

    /** Forgot its access rule. */
    @Path("/api/v1/unguarded")
    public static class Unguarded {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public String secrets() {
            return "{\"secret\":\"leaked\"}";
        }
    }

    private static final AppUnderTest APP = AppUnderTest.create(WithUnguardedResource.class, "access_rules_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    @Test
    void shouldAnswer403ToAMethodWithoutAnAccessRuleWithOrWithoutAToken() {
        Api api = APP.api();
        String admin = api.login("admin", APP.adminPassword());

        api.get("/api/v1/unguarded", admin).assertError(403);
        api.get("/api/v1/unguarded", null).assertError(403);
    }

    @Test
    void shouldDeclareExactlyOneAccessRuleOnEveryRegisteredResourceMethod() {
        List<Class<?>> resources = registeredResources();
        assertThat(resources).contains(RuleResource.class, AlertResource.class);

        for (Class<?> resource : resources) {
            for (Method method : resourceMethods(resource).toList()) {
                long rules = Stream.of(RequiresScope.class, Authenticated.class,
                        PublicEndpoint.class).filter(method::isAnnotationPresent)
                        .count();
                if (DeviceMgmtApplication.PUBLIC_RESOURCES.contains(resource)) {
                    assertThat(rules).as(method.toString()).isZero();
                } else {
                    assertThat(rules).as(method.toString()).isEqualTo(1);
                }
                assertThat(ScopeFeature.accessRule(resource, method, DeviceMgmtApplication.PUBLIC_RESOURCES))
                        .as(method.toString()).isNotNull();
                RequiresScope scope = method.getAnnotation(RequiresScope.class);
                if (scope != null) {
                    assertThat(Scopes.ALL).as(method.toString()).contains(scope.value());
                }
            }
        }
    }

    @Test
    void shouldDocumentEveryScopedMethodWithItsScope() {
        registeredResources().stream().flatMap(ResourceAccessRulesIT::resourceMethods)
                .filter(m -> m.isAnnotationPresent(RequiresScope.class)).forEach(method -> {
                    Operation op = method.getAnnotation(Operation.class);
                    assertThat(op).as(method.toString()).isNotNull();
                    assertThat(op.description()).as(method.toString())
                            .contains("Scope: " + method.getAnnotation(RequiresScope.class).value());
                });
    }

    /** What Jersey serves: classes and instances registered with a {@code @Path}, but the test's own. */
    private static List<Class<?>> registeredResources() {
        var config = EXT.getEnvironment().jersey().getResourceConfig();
        Set<Class<?>> all = new LinkedHashSet<>(config.getClasses());
        config.getInstances().forEach(i -> all.add(i.getClass()));
        return all.stream().filter(c -> c.isAnnotationPresent(Path.class)).filter(c -> c != Unguarded.class)
                .toList();
    }

    private static Stream<Method> resourceMethods(Class<?> resource) {
        return Arrays.stream(resource.getDeclaredMethods())
                .filter(m -> Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)));
    }
}
