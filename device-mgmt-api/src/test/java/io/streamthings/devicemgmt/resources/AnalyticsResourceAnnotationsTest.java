package io.streamthings.devicemgmt.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.ws.rs.HttpMethod;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analytics, prediction and stream resources follow ResourceAnnotationsTest's rules: scope declared and documented. */
class AnalyticsResourceAnnotationsTest {

    @Test
    void shouldRequireAndDocumentAnalyticsViewOnEveryMethod() {
        List<Method> methods = Arrays.stream(new Class<?>[] {AnalyticsResource.class, PredictionResource.class,
                    StreamResource.class})
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .filter(m -> Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)))
                .toList();

        assertThat(methods).extracting(Method::getName).containsExactlyInAnyOrder("telemetry", "ingestRate", "latest",
                "availability", "predictions", "stream");
        for (Method method : methods) {
            assertThat(method.getAnnotation(RequiresScope.class).value()).as(method.toString())
                    .isEqualTo(Scopes.ANALYTICS_VIEW);
            assertThat(method.getAnnotation(Operation.class).description()).as(method.toString())
                    .contains("Scope: " + Scopes.ANALYTICS_VIEW);
        }
    }
}
