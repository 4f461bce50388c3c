package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.embedded.testkit.KafkaExtension;
import io.streamthings.rules.apps.ShippedApps;
import io.streamthings.rules.catalog.RuleStatus;
import io.streamthings.rules.compile.RuleCompiler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every shipped app deployed in the rules service on a real embedded Kafka broker, each for a tenant of its own,
 * fed through telemetry.raw with data whose truth is known: it fires exactly when it should, and not on the near
 * misses beside it. Each test waits until the service reports having processed all its records before it counts.
 */
class ShippedAppsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(Topics.ALL);

    static RulesKafka outside;
    static RulesService service;

    @BeforeAll
    static void start() throws Exception {
        outside = new RulesKafka(KAFKA.bootstrapServers());
        RulesServiceConfig config = RulesServiceConfig.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .statusInterval(Duration.ofMillis(200))
                .build();
        service = new RulesService(config, new RuleCompiler(), Clock.systemUTC());
        service.start();
        assertThat(service.awaitRunning(WAIT)).isTrue();
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

    /** Deploys a shipped app for a tenant of its own, optionally edited, and waits until it runs. */
    private static void deploy(String tenant, String app, Map<String, String> edits) {
        String text = ShippedApps.named(app).appText();
        for (var e : edits.entrySet()) {
            assertThat(text).contains(e.getKey());
            text = text.replace(e.getKey(), e.getValue());
        }
        outside.deploy(tenant, app, 1, text);
        await().atMost(WAIT).until(() -> outside.statuses(tenant, app).stream()
                .anyMatch(s -> s.version() == 1 && RuleStatus.RUNNING.equals(s.state())));
    }

    /** Waits until the rule has taken in this many records (fed or skipped). */
    private static void awaitTaken(String tenant, String app, long records) {
        await().atMost(WAIT).until(() -> outside.statuses(tenant, app).stream()
                .anyMatch(s -> s.eventsIn() + s.eventsSkipped() >= records));
    }

    /** Waits until the rule has taken in this many records (fed or skipped), then a little longer. */
    private static List<AlertEvent> alertsAfter(String tenant, String app, long records) {
        awaitTaken(tenant, app, records);
        // The alerts were sent before that report; half a second lets them reach the reader, and lets any alert
        // that should not exist show up before the test counts.
        sleep(500);
        return outside.alerts(tenant, app);
    }

    @Test
    void thresholdWithHysteresisFiresOnceAboveHighAndAgainOnlyAfterFallingBelowLow() {
        deploy("t-hyst", "threshold-hysteresis", Map.of());
        long t = System.currentTimeMillis();
        double[] a = {75, 85, 90, 78, 82, 65, 81, 79}; // fires at 85, re-armed by 65, fires at 81
        double[] b = {60, 79, 80, 80};                  // never above 80
        for (int i = 0; i < a.length; i++) {
            outside.temperature("t-hyst", "a", t + i, a[i]);
        }
        for (int i = 0; i < b.length; i++) {
            outside.temperature("t-hyst", "b", t + i, b[i]);
        }

        List<AlertEvent> alerts = alertsAfter("t-hyst", "threshold-hysteresis", a.length + b.length);

        assertThat(alerts).extracting(AlertEvent::deviceId).containsExactly("a", "a");
        assertThat(alerts).extracting(x -> x.values().get("temperature")).containsExactly(85.0, 81.0);
        assertThat(alerts).extracting(AlertEvent::ts).containsExactly(t + 1, t + 6);
        assertThat(alerts).allSatisfy(x -> assertThat(x.severity()).isEqualTo("critical"));
    }

    @Test
    void nInARowFiresOnThreeConsecutiveHotReadingsOfOneDevice() {
        deploy("t-row", "n-in-a-row", Map.of());
        long t = System.currentTimeMillis();
        double[] a = {76, 77, 74, 78, 79}; // a dip breaks the run: never three in a row
        double[] b = {80, 81, 82};          // three in a row
        for (int i = 0; i < 5; i++) {
            outside.temperature("t-row", "a", t + i, a[i]);
            if (i < 3) {
                outside.temperature("t-row", "b", t + i, b[i]); // interleaved: devices do not mix
            }
        }

        List<AlertEvent> alerts = alertsAfter("t-row", "n-in-a-row", 8);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).deviceId()).isEqualTo("b");
        assertThat(alerts.get(0).values()).containsEntry("temperature1", 80.0).containsEntry("temperature2", 81.0)
                .containsEntry("temperature3", 82.0);
    }

    @Test
    void rateOfChangeFiresOnARiseFasterThanFiveDegreesPerMinuteOfEventTime() {
        deploy("t-rate", "rate-of-change", Map.of());
        long t = 1_700_000_000_000L;
        outside.temperature("t-rate", "a", t, 50);
        outside.temperature("t-rate", "a", t + 60_000, 54);   // 4 per minute: no
        outside.temperature("t-rate", "a", t + 120_000, 60);  // 6 per minute: fires
        outside.temperature("t-rate", "a", t + 120_000, 90);  // same ts: not compared
        outside.temperature("t-rate", "b", t, 50);
        outside.temperature("t-rate", "b", t + 30_000, 52.4); // 4.8 per minute: no
        outside.temperature("t-rate", "b", t + 60_000, 50);   // a fall: no

        List<AlertEvent> alerts = alertsAfter("t-rate", "rate-of-change", 7);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).deviceId()).isEqualTo("a");
        assertThat(alerts.get(0).ts()).isEqualTo(t + 120_000);
        assertThat((Double) alerts.get(0).values().get("degreesPerMinute")).isCloseTo(6.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void deviceSilentFiresOncePerSilenceAndNotWhileTheDeviceReports() {
        // The shipped T is 30 s; the same app with T = 2 s keeps the test short.
        deploy("t-silent", "device-silent", Map.of("30000L", "2000L"));
        long t = System.currentTimeMillis();
        outside.temperature("t-silent", "quiet", t, 20);
        for (int i = 0; i < 8; i++) { // "chatty" reports every 0.5 s for 4 s
            outside.temperature("t-silent", "chatty", t + i * 500L, 20);
            sleep(500);
        }

        // By now "quiet" has been silent for 4 s: one alert; "chatty" has never been silent for 2 s.
        await().atMost(WAIT).until(() -> !outside.alerts("t-silent", "device-silent").isEmpty());
        assertThat(outside.alerts("t-silent", "device-silent")).extracting(AlertEvent::deviceId)
                .containsExactly("quiet");
        assertThat(outside.alerts("t-silent", "device-silent").get(0).values()).containsEntry("lastSeenTs", t);

        // Now "chatty" stops: it is silent once, and "quiet" is not reported twice.
        await().atMost(WAIT).until(() -> outside.alerts("t-silent", "device-silent").size() >= 2);
        sleep(2_500); // longer than T: a second alert for the same silence would have fired by now
        assertThat(outside.alerts("t-silent", "device-silent")).extracting(AlertEvent::deviceId)
                .containsExactly("quiet", "chatty");
    }

    @Test
    void siteOverheatFiresWhenMostDevicesOfASiteAreHot() {
        deploy("t-site", "site-overheat", Map.of());
        long t = System.currentTimeMillis();
        // Kafka orders records per device only, so readings of different devices may reach the rule in any order;
        // each step waits until the rule has taken the readings before it, as a site's devices spread over time would.
        // Cool readings first: s1 has 4 devices, s2 has 7.
        site("s1", "d4", t, 20);
        for (int i = 0; i < 4; i++) {
            site("s2", "c" + i, t + i, 30);
        }
        // Site s3: 2 hot of 2: fewer than 3.
        site("s3", "e1", t, 99);
        site("s3", "e2", t + 1, 99);
        // A reading without the site tag is skipped.
        outside.temperature("t-site", "untagged", t, 99);
        awaitTaken("t-site", "site-overheat", 8);
        // s1: 3 of 4 hot fires on the third hot reading, not again while still hot.
        site("s1", "d1", t + 1, 90);
        awaitTaken("t-site", "site-overheat", 9);
        site("s1", "d2", t + 2, 90);
        awaitTaken("t-site", "site-overheat", 10);
        site("s1", "d3", t + 3, 90);
        awaitTaken("t-site", "site-overheat", 11);
        site("s1", "d1", t + 4, 91);
        // s2: 3 of 7 hot is not half.
        for (int i = 4; i < 7; i++) {
            site("s2", "c" + i, t + i, 95);
        }

        List<AlertEvent> alerts = alertsAfter("t-site", "site-overheat", 15);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).deviceId()).isEqualTo("d3");
        assertThat(alerts.get(0).values()).containsEntry("site", "s1").containsEntry("hotDevices", 3L)
                .containsEntry("devicesSeen", 4L);
    }

    @Test
    void movingAverageCrossingFiresOnceOnAnUpwardCrossing() {
        deploy("t-ma", "moving-average-crossing", Map.of());
        long t = System.currentTimeMillis();
        int n = 0;
        for (int i = 0; i < 20; i++) {
            outside.temperature("t-ma", "a", t + n++, 60); // both averages 60
        }
        for (int i = 0; i < 5; i++) {
            outside.temperature("t-ma", "a", t + n++, 40); // short below long
        }
        for (int i = 0; i < 6; i++) {
            outside.temperature("t-ma", "a", t + n++, 80); // crosses above on the 3rd, stays above
        }
        for (int i = 0; i < 30; i++) {
            outside.temperature("t-ma", "b", t + i, 60); // flat: never crosses
        }

        List<AlertEvent> alerts = alertsAfter("t-ma", "moving-average-crossing", n + 30);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).deviceId()).isEqualTo("a");
        assertThat(alerts.get(0).ts()).isEqualTo(t + 27);
        assertThat(alerts.get(0).values()).containsEntry("shortAverage", 64.0).containsEntry("longAverage", 58.0);
    }

    private static void site(String site, String device, long ts, double temperature) {
        outside.telemetry("t-site", device, ts, Map.of("temperature", temperature), Map.of("site", site));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
