package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.testkit.KafkaExtension;
import io.streamthings.rules.catalog.RuleStatus;
import io.streamthings.rules.compile.RuleCompiler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rules service on a real embedded Kafka broker (KRaft): deployments at runtime, tenant isolation, a new version
 * replacing a running rule without losing events, a rule that throws isolated from the others, undeployment, and
 * half-matched patterns that survive a restart and a rebalance through the snapshots on rules.state.
 */
class RulesServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String HOT = """
            @App:name('hot')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from TelemetryStream[temperature > 90.0]
            select deviceId, ts, temperature, 'critical' as severity, 'too hot' as message
            insert into AlertStream;
            """;

    /** Two hot readings of a device within 10 minutes: the first leaves a half-matched pattern behind. */
    private static final String TWICE_HOT = """
            @App:name('twice-hot')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            partition with (deviceId of TelemetryStream)
            begin
              from every e1=TelemetryStream[temperature > 90.0]
                   -> e2=TelemetryStream[temperature > 90.0]
                   within 10 min
              select e1.deviceId as deviceId, e2.ts as ts, e1.temperature as first, e2.temperature as second
              insert into AlertStream;
            end;
            """;

    /** Two hot readings at one site: state per site, so the service spreads sites over the group. */
    private static final String HOT_SITE = """
            @App:name('hot-site')
            define stream TelemetryStream (deviceId string, site string, ts long, temperature double);
            partition with (site of TelemetryStream)
            begin
              from TelemetryStream[temperature > 90.0]#window.length(2)
              select deviceId, site, ts, count() as hot
              insert into #Hot;
              from #Hot[hot == 2L]
              select deviceId, site, ts, 'critical' as severity, 'two hot readings at a site' as message
              insert into AlertStream;
            end;
            """;

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(Topics.ALL);

    static RulesKafka outside;
    static RulesService service;

    @BeforeAll
    static void start() throws Exception {
        outside = new RulesKafka(KAFKA.bootstrapServers());
        service = start("shared-group", "it-shared");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (outside != null) {
            outside.close();
        }
    }

    private static RulesService start(String group, String instance) throws InterruptedException {
        RulesServiceConfig config = RulesServiceConfig.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .instanceId(instance)
                .snapshotInterval(Duration.ofMillis(300))
                .statusInterval(Duration.ofMillis(300))
                .build();
        RulesService s = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
        s.start();
        assertThat(s.awaitRunning(WAIT)).as("rules service %s running", instance).isTrue();
        return s;
    }

    private static void awaitRule(String tenant, String rule, int version) {
        await().atMost(WAIT).until(() -> outside.statuses(tenant, rule).stream()
                .anyMatch(s -> s.version() == version && RuleStatus.RUNNING.equals(s.state())));
    }

    @Test
    void aDeployedRuleFiresOnItsTenantsDataOnly() {
        outside.deploy("iso-a", "hot", 1, HOT);
        awaitRule("iso-a", "hot", 1);
        long t0 = System.currentTimeMillis();

        outside.temperature("iso-a", "d1", t0, 95.0);
        outside.temperature("iso-a", "d1", t0 + 1, 50.0);
        outside.temperature("iso-b", "d1", t0 + 2, 99.0); // another tenant: its data never reaches iso-a's rule

        await().atMost(WAIT).until(() -> outside.alerts("iso-a", "hot").size() == 1);
        AlertEvent alert = outside.alerts("iso-a", "hot").get(0);
        assertThat(alert.deviceId()).isEqualTo("d1");
        assertThat(alert.severity()).isEqualTo("critical");
        assertThat(alert.message()).isEqualTo("too hot");
        assertThat(alert.ts()).isEqualTo(t0);
        assertThat(alert.source()).isEqualTo("rule");
        assertThat(alert.values()).containsEntry("temperature", 95.0);
        await().atMost(WAIT).until(() -> outside.statuses("iso-a", "hot").stream()
                .anyMatch(s -> s.eventsIn() == 2 && s.eventsOut() == 1 && s.lastFiredAt() != null));
        assertThat(outside.alerts("iso-b")).isEmpty();
    }

    @Test
    void aNewVersionReplacesTheRunningRuleWithoutDroppingEvents() throws Exception {
        outside.deploy("swap", "hot", 1, HOT);
        awaitRule("swap", "hot", 1);
        String v2 = HOT.replace("'too hot'", "'too hot v2'");
        long t0 = System.currentTimeMillis();
        int n = 400;
        Thread redeploy = new Thread(() -> {
            sleep(150);
            outside.deploy("swap", "hot", 2, v2);
        });
        redeploy.start();
        for (int i = 0; i < n; i++) {
            outside.temperature("swap", "d" + (i % 7), t0 + i, 95.0);
            if (i % 20 == 0) {
                sleep(15);
            }
        }
        redeploy.join();

        // Every hot reading fired exactly once, under one version or the other: none fell between the two.
        await().atMost(WAIT).until(() -> outside.alerts("swap", "hot").size() >= n);
        List<AlertEvent> alerts = outside.alerts("swap", "hot");
        Set<Long> fired = alerts.stream().map(AlertEvent::ts).collect(Collectors.toSet());
        assertThat(fired).isEqualTo(LongStream.range(t0, t0 + n).boxed().collect(Collectors.toSet()));
        assertThat(alerts).hasSize(n);
        long v1 = alerts.stream().filter(a -> a.message().equals("too hot")).count();
        assertThat(v1).as("alerts of version 1").isBetween(1L, (long) n - 1);
        // Once version 2 took over, version 1 fired no more (per device, alerts arrive in order).
        awaitRule("swap", "hot", 2);
    }

    @Test
    void aRuleThatThrowsIsIsolatedAndReported() {
        String throwing = """
                @App:name('divide')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream[cast(temperature, 'int') > 1]
                select deviceId, ts, temperature
                insert into AlertStream;
                """;
        outside.deploy("err", "divide", 1, throwing);
        outside.deploy("err", "hot", 1, HOT);
        awaitRule("err", "divide", 1);
        awaitRule("err", "hot", 1);
        long t0 = System.currentTimeMillis();

        outside.temperature("err", "d1", t0, 95.0);
        outside.temperature("err", "d1", t0 + 1, 96.0);

        await().atMost(WAIT).until(() -> outside.alerts("err", "hot").size() == 2);
        await().atMost(WAIT).until(() -> outside.statuses("err", "divide").stream()
                .anyMatch(s -> s.errors() == 2 && s.error() != null));
        assertThat(outside.alerts("err", "divide")).isEmpty();
    }

    @Test
    void anAlertBeyondItsBoundsGoesToTheDeadLetterTopicAsAnErrorOfItsRuleAlone() {
        String longId = """
                @App:name('long-id')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream[temperature > 90.0]
                select '%s' as deviceId, ts, temperature, '%s' as message
                insert into AlertStream;
                """.formatted("d".repeat(200), "m".repeat(5_000));
        outside.deploy("bounds", "long-id", 1, longId);
        outside.deploy("bounds", "hot", 1, HOT);
        awaitRule("bounds", "long-id", 1);
        awaitRule("bounds", "hot", 1);

        outside.temperature("bounds", "d1", System.currentTimeMillis(), 95.0);

        await().atMost(WAIT).until(() -> outside.alerts("bounds", "hot").size() == 1);
        await().atMost(WAIT).until(() -> outside.deadLetters("bounds").size() == 1);
        var letter = outside.deadLetters("bounds").get(0);
        assertThat(letter.reason()).isEqualTo("deviceId: at most 128 characters, got 200");
        assertThat(letter.field()).isEqualTo("deviceId");
        assertThat(letter.source()).isEqualTo("rules");
        await().atMost(WAIT).until(() -> outside.statuses("bounds", "long-id").stream()
                .anyMatch(s -> s.errors() == 1 && s.error() != null && s.error().contains("alerts.dlq")));
        assertThat(outside.alerts("bounds", "long-id")).isEmpty();
        assertThat(service.alertsDeadLettered()).isPositive();
    }

    @Test
    void anUndeployedRuleStopsAtOnce() {
        outside.deploy("gone", "hot", 1, HOT);
        outside.deploy("gone", "probe", 1, HOT.replace("'hot'", "'probe'"));
        awaitRule("gone", "hot", 1);
        awaitRule("gone", "probe", 1);
        outside.temperature("gone", "d1", System.currentTimeMillis(), 95.0);
        await().atMost(WAIT).until(() -> outside.alerts("gone", "hot").size() == 1);

        outside.undeploy("gone", "hot");
        await().atMost(WAIT).until(() -> outside.statuses("gone", "hot").isEmpty());
        outside.temperature("gone", "d1", System.currentTimeMillis(), 97.0);

        // The probe rule saw the second reading, so the service has processed it: 'hot' must not have fired again.
        await().atMost(WAIT).until(() -> outside.alerts("gone", "probe").size() == 2);
        assertThat(outside.alerts("gone", "hot")).hasSize(1);
    }

    @Test
    void garbageOnTheTopicIsCountedAndSkipped() {
        long before = service.undecodable();
        outside.raw("x/y", "not telemetry".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> service.undecodable() > before);
    }

    @Test
    void halfMatchedPatternsSurviveARestartAndARebalance() throws Exception {
        // The shared instance is "a": every instance of every group runs every deployed rule, so a second group
        // would fire each alert twice.
        RulesService a = service;
        List<RulesService> running = new ArrayList<>(List.of(a));
        try {
            outside.deploy("snap", "twice-hot", 1, TWICE_HOT);
            awaitRule("snap", "twice-hot", 1);
            long t0 = System.currentTimeMillis();
            int devices = 12; // over all 6 partitions
            for (int i = 0; i < devices; i++) {
                outside.temperature("snap", "dev-" + i, t0 + i, 91.0);
            }
            // Wait until instance a has processed every first reading, then stop it: its close snapshots them.
            await().atMost(WAIT).until(() -> outside.statuses("snap", "twice-hot").stream()
                    .filter(s -> s.instance().equals("it-shared")).anyMatch(s -> s.eventsIn() >= devices));
            a.close();
            running.remove(a);
            assertThat(outside.alerts("snap", "twice-hot")).isEmpty();

            // A restart: a new instance of the same group completes the patterns the old one had begun.
            RulesService b = start("shared-group", "it-b");
            running.add(b);
            for (int i = 0; i < devices / 2; i++) {
                outside.temperature("snap", "dev-" + i, t0 + 100 + i, 92.0);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(outside.alerts("snap", "twice-hot").stream()
                    .map(AlertEvent::deviceId).toList())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, devices / 2).mapToObj(i -> "dev-" + i)
                            .toList()));

            // A rebalance: a second instance joins and takes some partitions over from b's snapshots.
            RulesService c = start("shared-group", "it-c");
            running.add(c);
            await().atMost(WAIT).until(() -> outside.statuses("snap", "twice-hot").stream()
                    .filter(s -> s.instance().equals("it-c")).anyMatch(s -> s.version() == 1));
            for (int i = devices / 2; i < devices; i++) {
                outside.temperature("snap", "dev-" + i, t0 + 100 + i, 93.0);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(outside.alerts("snap", "twice-hot").stream()
                    .map(AlertEvent::deviceId).sorted().toList())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, devices).mapToObj(i -> "dev-" + i)
                            .toList()));
            List<AlertEvent> alerts = outside.alerts("snap", "twice-hot");
            assertThat(alerts.stream().map(AlertEvent::deviceId).collect(Collectors.toSet())).hasSize(devices);
            assertThat(alerts).allSatisfy(al -> assertThat(al.values()).containsEntry("first", 91.0));
            assertThat(c.recordsIn()).as("records the joining instance processed").isPositive();
        } finally {
            // Leave one instance of the group running for the other tests.
            service = running.isEmpty() ? start("shared-group", "it-shared-2") : running.remove(0);
            running.forEach(RulesService::close);
        }
    }

    @Test
    void aRuleKeyedBySiteRunsOnEveryInstanceOfTheGroup() throws Exception {
        RulesService second = start("shared-group", "it-sites");
        try {
            outside.deploy("sites", "hot-site", 1, HOT_SITE);
            await().atMost(WAIT).until(() -> outside.statuses("sites", "hot-site").stream()
                    .filter(s -> s.version() == 1 && RuleStatus.RUNNING.equals(s.state())).count() == 2);
            long t0 = System.currentTimeMillis();
            int sites = 12; // over the 6 partitions of rules.by-tenant
            for (int i = 0; i < sites; i++) {
                // each site's two hot readings come from two devices, on different partitions of telemetry.raw
                outside.telemetry("sites", "a-" + i, t0 + i, Map.of("temperature", 95.0), Map.of("site", "s" + i));
                outside.telemetry("sites", "b-" + i, t0 + i + 1, Map.of("temperature", 96.0), Map.of("site", "s" + i));
                outside.telemetry("sites", "c-" + i, t0 + i + 2, Map.of("temperature", 20.0), Map.of("site", "s" + i));
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(outside.alerts("sites", "hot-site").stream()
                    .map(a -> a.values().get("site")).toList())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, sites).mapToObj(i -> "s" + i).toList()));
            // whichever of the two hot readings reached the site's runtime second: they come from different
            // partitions of telemetry.raw, maybe through different instances
            assertThat(outside.alerts("sites", "hot-site")).allSatisfy(a -> assertThat(a.deviceId())
                    .isIn("a-" + a.values().get("site").toString().substring(1),
                            "b-" + a.values().get("site").toString().substring(1)));
            // Both instances ran some of the sites: the tenant's cross-device records were not all sent to one.
            await().atMost(WAIT).untilAsserted(() -> assertThat(outside.statuses("sites", "hot-site"))
                    .filteredOn(s -> s.eventsIn() > 0).hasSize(2));
        } finally {
            second.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
