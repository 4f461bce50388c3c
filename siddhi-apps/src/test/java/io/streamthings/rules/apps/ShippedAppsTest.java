package io.streamthings.rules.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.annotation.Annotation;
import io.siddhi.query.api.definition.AbstractDefinition;
import io.siddhi.query.api.definition.Attribute;
import io.siddhi.query.api.execution.ExecutionElement;
import io.siddhi.query.api.execution.partition.Partition;
import io.siddhi.query.api.execution.query.Query;
import io.siddhi.query.api.execution.query.input.handler.StreamHandler;
import io.siddhi.query.api.execution.query.input.handler.Window;
import io.siddhi.query.api.execution.query.input.stream.InputStream;
import io.siddhi.query.api.execution.query.input.stream.SingleInputStream;
import io.siddhi.query.api.execution.query.input.stream.StateInputStream;
import io.siddhi.query.api.expression.Expression;
import io.siddhi.query.api.expression.constant.IntConstant;
import io.siddhi.query.api.expression.constant.LongConstant;
import io.siddhi.query.compiler.SiddhiCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShippedAppsTest {

    private static final Set<String> TIME_WINDOWS =
            Set.of("time", "timeBatch", "externalTime", "externalTimeBatch", "timeLength", "delay", "session");
    private static final Set<String> LENGTH_WINDOWS = Set.of("length", "lengthBatch", "sort");
    private static final long MAX_WINDOW_MS = Duration.ofHours(24).toMillis();
    private static final long MAX_WINDOW_LENGTH = 100_000;

    static Stream<String> appNames() {
        return ShippedApps.all().stream().map(ShippedApp::name);
    }

    @Test
    void shouldListTheShippedAppsInAStableOrder() {
        assertThat(ShippedApps.all()).extracting(ShippedApp::name).containsExactly(
                "threshold-hysteresis", "n-in-a-row", "rate-of-change", "device-silent", "site-overheat",
                "moving-average-crossing");
        assertThat(ShippedApps.all()).isSameAs(ShippedApps.all());
    }

    @Test
    void shouldShipEverySiddhiFileOfTheAppsFolder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/apps"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".siddhi")))
                    .containsExactlyInAnyOrderElementsOf(ShippedApps.all().stream().map(ShippedApp::fileName).toList());
        }
    }

    @Test
    void shouldFindAnAppByNameAndRefuseAnUnknownOne() {
        ShippedApp app = ShippedApps.named("device-silent");
        assertThat(app.fileName()).isEqualTo("device-silent.siddhi");
        assertThat(app.description()).startsWith("Alerts once when a device has sent no telemetry");
        assertThat(app.appText()).contains("@App:name('device-silent')");

        assertThatThrownBy(() -> ShippedApps.named("no-such-app")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no-such-app");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appNames")
    void shouldNameTheFileAfterTheAppAndDescribeIt(String name) {
        ShippedApp app = ShippedApps.named(name);
        assertThat(app.fileName()).isEqualTo(app.name() + ".siddhi");
        assertThat(app.name()).matches("[a-z0-9_-]{1,64}");
        assertThat(app.description()).isNotBlank().doesNotContain("''");
        assertThat(app.appText()).doesNotContainIgnoringCase("@app:playback");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appNames")
    void shouldStartInSiddhiAndEmitTheAlertContract(String name) {
        ShippedApp app = ShippedApps.named(name);
        SiddhiManager manager = new SiddhiManager();
        try {
            SiddhiAppRuntime runtime = manager.createSiddhiAppRuntime("@app:playback\n" + app.appText());
            List<String> alert = runtime.getStreamDefinitionMap().get("AlertStream").getAttributeList().stream()
                    .map(Attribute::getName).toList();
            assertThat(alert).startsWith("deviceId", "ts", "severity", "message").hasSizeGreaterThan(4);
            assertThat(runtime.getStreamDefinitionMap().get("AlertStream").getAttributeType("ts"))
                    .isEqualTo(Attribute.Type.LONG);
            runtime.shutdown();
        } finally {
            manager.shutdown();
        }
    }

    /**
     * The rule-app policy (RuleCompiler's, /tmp/rules-contract.md), checked on the parsed app independently of the
     * RuleCompiler so the shipped apps are held to it even where the compiler has a gap.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("appNames")
    void shouldRespectTheRuleAppPolicy(String name) {
        ShippedApp app = ShippedApps.named(name);
        SiddhiApp parsed = SiddhiCompiler.parse(app.appText());

        // Only TelemetryStream is fed from outside, with contract types; no I/O, scripts, aggregations
        List<AbstractDefinition> definitions = new ArrayList<>(parsed.getStreamDefinitionMap().values());
        definitions.addAll(parsed.getTableDefinitionMap().values());
        for (AbstractDefinition definition : definitions) {
            assertThat(definition.getAnnotations()).extracting(a -> a.getName().toLowerCase())
                    .as("annotations of %s", definition.getId()).doesNotContain("source", "sink", "store");
        }
        assertThat(parsed.getFunctionDefinitionMap()).isEmpty();
        assertThat(parsed.getAggregationDefinitionMap()).isEmpty();
        assertThat(parsed.getWindowDefinitionMap()).isEmpty();
        parsed.getTableDefinitionMap().values().forEach(table -> assertThat(table.getAnnotations())
                .extracting(Annotation::getName).as("table %s", table.getId()).contains("PrimaryKey"));
        for (Attribute attribute : parsed.getStreamDefinitionMap().get("TelemetryStream").getAttributeList()) {
            Attribute.Type expected = switch (attribute.getName()) {
                case "ts" -> Attribute.Type.LONG;
                case "deviceId", "deviceType" -> Attribute.Type.STRING;
                default -> attribute.getType() == Attribute.Type.STRING ? Attribute.Type.STRING : Attribute.Type.DOUBLE;
            };
            assertThat(attribute.getType()).as("TelemetryStream.%s", attribute.getName()).isEqualTo(expected);
        }

        List<Query> queries = new ArrayList<>();
        for (ExecutionElement element : parsed.getExecutionElementList()) {
            if (element instanceof Partition partition) {
                queries.addAll(partition.getQueryList());
            } else {
                queries.add((Query) element);
            }
        }
        Set<String> read = new HashSet<>();
        Set<String> fed = new HashSet<>();
        for (Query query : queries) {
            InputStream input = query.getInputStream();
            read.addAll(input.getAllStreamIds());
            fed.add(query.getOutputStream().getId());
            if (input instanceof StateInputStream state) {
                assertThat(state.getWithinTime()).as("within of a pattern/sequence in %s", app.name()).isNotNull();
                assertThat(state.getWithinTime().getValue()).isBetween(1L, MAX_WINDOW_MS);
            }
            if (input instanceof SingleInputStream single) {
                for (StreamHandler handler : single.getStreamHandlers()) {
                    if (handler instanceof Window window) {
                        assertWindowAllowed(window);
                    }
                }
            }
        }
        assertThat(fed).contains("AlertStream");
        read.removeAll(fed);
        read.removeAll(parsed.getTriggerDefinitionMap().keySet());
        assertThat(read).as("streams read but fed by no query").containsOnly("TelemetryStream");
    }

    private static void assertWindowAllowed(Window window) {
        assertThat(window.getNamespace()).as("window namespace").isNullOrEmpty();
        assertThat(TIME_WINDOWS.contains(window.getName()) || LENGTH_WINDOWS.contains(window.getName()))
                .as("window %s is in the allow-list", window.getName()).isTrue();
        long limit = TIME_WINDOWS.contains(window.getName()) ? MAX_WINDOW_MS : MAX_WINDOW_LENGTH;
        for (Expression parameter : window.getParameters()) {
            long value = parameter instanceof LongConstant l ? l.getValue()
                    : parameter instanceof IntConstant i ? i.getValue() : 0;
            assertThat(value).as("window %s bound", window.getName()).isBetween(0L, limit);
        }
    }
}
