package io.streamthings.ingest.mqtt;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The MQTT server's metrics under {@code ingest.mqtt.*}, in the same registry as the rest of ingest's (the admin
 * port's {@code /metrics}): connections open, messages in and out, the time from a PUBLISH's arrival to its PUBACK
 * (Kafka's acknowledgement included), and refusals by reason ({@code ingest.mqtt.refused.<reason>}).
 */
public final class MqttMetrics {

    private final MetricRegistry registry;
    private final Meter messagesIn;
    private final Meter messagesOut;
    private final Meter connects;
    private final Timer pubAckLatency;
    private final Meter throttled;
    private final Map<String, Meter> refusals = new ConcurrentHashMap<>();

    public MqttMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.messagesIn = registry.meter("ingest.mqtt.messages.in");
        this.messagesOut = registry.meter("ingest.mqtt.messages.out");
        this.connects = registry.meter("ingest.mqtt.connects");
        this.pubAckLatency = registry.timer("ingest.mqtt.puback-latency");
        this.throttled = registry.meter("ingest.mqtt.throttled");
    }

    void connections(IntSupplier open) {
        registry.gauge("ingest.mqtt.connections", () -> (Gauge<Integer>) open::getAsInt);
    }

    void connected() {
        connects.mark();
    }

    void messageIn() {
        messagesIn.mark();
    }

    void messageOut() {
        messagesOut.mark();
    }

    void pubAck(long nanos) {
        pubAckLatency.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a refusal; reasons are a small fixed set (see {@code MqttConnection}). */
    void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> registry.meter("ingest.mqtt.refused." + r)).mark();
    }

    /** A device over its rate: its socket's reads were paused. */
    void throttled() {
        throttled.mark();
    }

    public long throttledCount() {
        return throttled.getCount();
    }

    /** Refusals so far for one reason, for tests. */
    public long refusedCount(String reason) {
        Meter m = refusals.get(reason);
        return m == null ? 0 : m.getCount();
    }

    public long messagesInCount() {
        return messagesIn.getCount();
    }

    public long messagesOutCount() {
        return messagesOut.getCount();
    }

    public Timer pubAckLatency() {
        return pubAckLatency;
    }
}
