package io.streamthings.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.NotFoundException;
import org.junit.jupiter.api.Test;

class DashboardResourceTest {

    @Test
    void shouldNotRememberPathsThatDoNotExist() {
        DashboardResource resource = new DashboardResource();

        for (int i = 0; i < 1_000; i++) {
            String file = "random-" + i + ".js";
            String style = "nothing-" + i + ".css";
            assertThatThrownBy(() -> resource.app(null, file)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> resource.uplot(null, style))
                    .isInstanceOf(NotFoundException.class);
        }

        assertThat(resource.cachedAssets()).isZero();
    }
}
