package io.streamthings.devicemgmt.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.devicemgmt.auth.Authenticated;
import io.streamthings.devicemgmt.auth.PublicEndpoint;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.ws.rs.HttpMethod;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every resource method says who may call it, and documents itself; a forgotten annotation fails the build. */
class ResourceAnnotationsTest {

    private static final List<Class<?>> RESOURCES = List.of(TokenResource.class, DeviceTypeResource.class,
            DeviceResource.class, GroupResource.class, UserResource.class, RoleResource.class, ClientResource.class,
            ActivityResource.class, OpenApiResource.class, SwaggerUiResource.class);

    @Test
    void shouldDeclareExactlyOneAccessRuleOnEveryResourceMethod() {
        for (Method method : resourceMethods().toList()) {
            long rules = Stream.of(RequiresScope.class, Authenticated.class, PublicEndpoint.class)
                    .filter(method::isAnnotationPresent).count();
            assertThat(rules).as(method.toString()).isEqualTo(1);
            RequiresScope scope = method.getAnnotation(RequiresScope.class);
            if (scope != null) {
                assertThat(Scopes.ALL).as(method.toString()).contains(scope.value());
            }
        }
    }

    @Test
    void shouldDocumentEveryScopedMethodWithItsScope() {
        resourceMethods().filter(m -> m.isAnnotationPresent(RequiresScope.class)).forEach(method -> {
            Operation op = method.getAnnotation(Operation.class);
            assertThat(op).as(method.toString()).isNotNull();
            assertThat(op.description()).as(method.toString())
                    .contains("Scope: " + method.getAnnotation(RequiresScope.class).value());
        });
    }

    private static Stream<Method> resourceMethods() {
        return RESOURCES.stream().flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .filter(m -> Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)));
    }
}
