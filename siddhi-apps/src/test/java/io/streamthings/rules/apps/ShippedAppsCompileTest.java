package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped app passes the platform's own gate, the RuleCompiler, with the default limits. */
class ShippedAppsCompileTest {

    private static final RuleCompiler COMPILER = new RuleCompiler();

    static Stream<String> appNames() {
        return ShippedApps.all().stream().map(ShippedApp::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appNames")
    void shouldBeAcceptedByTheRuleCompiler(String name) {
        ShippedApp app = ShippedApps.named(name);

        CompiledRule rule = COMPILER.compile(app.appText());

        assertThat(rule.name()).isEqualTo(app.name());
        assertThat(rule.alertAttributes()).startsWith("deviceId", "ts", "severity", "message");
    }
}
