package io.streamthings.devicemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamHubTest {

    private static final TelemetryCodec CODEC = new TelemetryCodec();
    private static final String RAW = Topics.TELEMETRY_RAW.name();

    @Test
    void shouldGiveEachClientOnlyItsTenantsAndDevicesRecords() throws Exception {
        StreamHub hub = new StreamHub("unused:9092", 10);
        StreamSubscription one = hub.subscribe(new StreamFilter("acme", "d1", true, true));
        StreamSubscription tenant = hub.subscribe(new StreamFilter("acme", null, false, true));

        hub.dispatch(RAW, telemetry("acme", "d1", 21.5));
        hub.dispatch(RAW, telemetry("acme", "d2", 22.5));
        hub.dispatch(RAW, telemetry("other", "d1", 99.0));
        hub.dispatch(Topics.ALERTS.name(), alert("acme", "d1"));
        hub.dispatch(Topics.ALERTS.name(), alert("acme", null));
        hub.dispatch(Topics.ALERTS.name(), alert("other", "d1"));
        hub.dispatch(RAW, "not json".getBytes(StandardCharsets.UTF_8));

        String forOne = drain(hub, one);
        assertThat(forOne).contains("event: telemetry\ndata: {\"tenant\":\"acme\"", "\"temperature\":21.5",
                "event: alerts\ndata: {\"tenant\":\"acme\"");
        assertThat(forOne).doesNotContain("22.5", "99.0", "\"other\"");
        assertThat(forOne.split("event: ", -1)).hasSize(3);
        String forTenant = drain(hub, tenant);
        assertThat(forTenant).doesNotContain("event: telemetry", "\"other\"");
        assertThat(forTenant.split("event: alerts", -1)).hasSize(3);
    }

    @Test
    void shouldDropAClientWhoseQueueIsFullWithoutHoldingUpOthers() throws Exception {
        StreamHub hub = new StreamHub("unused:9092", 2);
        StreamSubscription slow = hub.subscribe(new StreamFilter("acme", "d1", true, false));
        StreamSubscription other = hub.subscribe(new StreamFilter("acme", "d2", true, false));

        for (int i = 0; i < 3; i++) {
            hub.dispatch(RAW, telemetry("acme", "d1", i));
        }
        hub.dispatch(RAW, telemetry("acme", "d2", 7.0));

        assertThat(slow.isDropped()).isTrue();
        assertThat(hub.subscriberCount()).isEqualTo(1);
        assertThat(drain(hub, other)).contains("\"temperature\":7.0");
        StringBuffer out = new StringBuffer();
        slow.pump(out::append, Duration.ofSeconds(30)); // returns at once: a dropped client's stream ends
        assertThat(out.toString()).isEqualTo(": connected\n\n");
    }

    @Test
    void shouldSendAHeartbeatWhenNothingHappensAndEndWhenTheHubStops() throws Exception {
        StreamHub hub = new StreamHub("unused:9092", 10);
        StreamSubscription s = hub.subscribe(new StreamFilter("acme", "d1", true, true));
        StringBuffer out = new StringBuffer();
        CountDownLatch done = new CountDownLatch(1);
        hub.serve(s, out::append, Duration.ofMillis(50), Duration.ZERO, done::countDown);
        await().atMost(Duration.ofSeconds(5)).until(() -> out.toString().contains("heartbeat"));

        hub.stop();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(out.toString()).startsWith(": connected\n\n: heartbeat\n\n");
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void shouldSplitMultiLineDataIntoDataLines() {
        assertThat(StreamSubscription.frame("alerts", "{\n}")).isEqualTo("event: alerts\ndata: {\ndata: }\n\n");
    }

    /** What the client's stream holds once everything queued so far is written. */
    private static String drain(StreamHub hub, StreamSubscription s) throws Exception {
        s.end();
        StringBuffer out = new StringBuffer();
        s.pump(out::append, Duration.ofSeconds(30));
        return out.toString();
    }

    private static byte[] telemetry(String tenant, String deviceId, double temperature) {
        return CODEC.encodeStamped(new StampedTelemetry(tenant, "thermo", deviceId, 1L,
                TelemetryRecord.of(1_000L, Map.of("temperature", temperature))));
    }

    private static byte[] alert(String tenant, String deviceId) {
        return AlertCodec.encode(new AlertEvent(tenant, "rule", "hot", deviceId, "critical", "hot", 1L, 2L,
                Map.of("temperature", 95.0)));
    }
}
