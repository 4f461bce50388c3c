package io.streamthings.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DashboardIT may skip itself on a developer's machine without a browser, never silently in CI. */
class DashboardBrowserRequirementTest {

    private static final Path MISSING = Path.of("/nonexistent/chromium");
    private static final Path MISSING_DRIVER = Path.of("/nonexistent/chromedriver");

    @Test
    void shouldFailWhenTheBrowserIsMissingInCi() {
        assertThatThrownBy(() -> DashboardIT.browserAvailable(Map.of("CI", "true"), MISSING, MISSING_DRIVER))
                .isInstanceOf(AssertionError.class).hasMessageContaining("CI=true")
                .hasMessageContaining(MISSING.toString());
    }

    @Test
    void shouldSkipWhenTheBrowserIsMissingOutsideCi() {
        assertThat(DashboardIT.browserAvailable(Map.of(), MISSING, MISSING_DRIVER)).isFalse();
        assertThat(DashboardIT.browserAvailable(Map.of("CI", "false"), MISSING, MISSING_DRIVER)).isFalse();
    }
}
