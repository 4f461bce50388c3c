package io.streamthings.rules.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The rules service's settings, with defaults that work in standalone mode. Loaded from YAML by {@link RulesMain}
 * (keys as the field names) or built in code by the standalone launcher.
 */
public class RulesServiceConfig {

    /** Kafka bootstrap servers. */
    @JsonProperty
    public String bootstrapServers = "localhost:9092";

    /** The consumer group: instances with the same group split the partitions of telemetry.raw. */
    @JsonProperty
    public String groupId = "streamthings-rules";

    /** Names this instance in rule.status; unique per running instance. */
    @JsonProperty
    public String instanceId = defaultInstanceId();

    /**
     * Kafka static membership ({@code group.instance.id}), or null (the default) for a dynamic member. An instance
     * that restarts with the same id (after a crash too) takes its partitions back at once, where a new dynamic member
     * waits until the group has expired the dead one's session (up to 45 s). A static member leaving for good keeps
     * its partitions unread for that long: meant for a fixed set of instances, as the standalone platform runs.
     */
    @JsonProperty
    public String groupInstanceId;

    /** How often Siddhi state is snapshotted to rules.state and offsets committed. */
    @JsonProperty
    public Duration snapshotInterval = Duration.ofSeconds(5);

    /** How often per-rule counters are published to rule.status. */
    @JsonProperty
    public Duration statusInterval = Duration.ofSeconds(5);

    /**
     * Where a group with no committed offset starts: {@code latest} (only new telemetry, the default, so that a
     * new rules service does not alert on history) or {@code earliest}.
     */
    @JsonProperty
    public String startFrom = "latest";

    /** Most records per poll. */
    @JsonProperty
    public int maxPollRecords = 2_000;

    /**
     * Linger of the alerts producer: small, since the latency from ingest to alert matters, but not 1 ms, with
     * which a busy instance sent its alerts a few per request and the broker's CPU for those requests cut the
     * benchmark's two-instance rate by a fifth (103,168 against 129,241 records/s at 5 ms; p99 ingest to alert
     * 50.0 and 24.3 ms).
     */
    @JsonProperty
    public int alertLingerMs = 5;

    /**
     * Linger of the producer that forwards records to rules.by-tenant for the rules that correlate devices. Longer
     * than the alerts': at 1 ms the records went out a few at a time, and the broker spent more CPU on those
     * requests than the rules did on the records. It adds at most this much to those rules' latency.
     */
    @JsonProperty
    public int forwardLingerMs = 10;

    private static String defaultInstanceId() {
        // "pid@host", unique per process on a machine and readable in rule.status.
        return ManagementFactory.getRuntimeMXBean().getName();
    }
}
