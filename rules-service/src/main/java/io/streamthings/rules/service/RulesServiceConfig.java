package io.streamthings.rules.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;

/**
 * The rules service's settings, with defaults that work in standalone mode; validated when built and read-only
 * afterwards. Loaded from YAML by {@link RulesMain} (keys as the component names, through {@link Builder}) or built in
 * code by the standalone launcher, the benchmarks and the tests.
 *
 * @param bootstrapServers Kafka bootstrap servers.
 * @param groupId the consumer group: instances with the same group split the partitions of telemetry.raw.
 * @param instanceId names this instance in rule.status; unique per running instance ({@code pid@host} by default).
 * @param groupInstanceId Kafka static membership ({@code group.instance.id}), or null (the default) for a dynamic
 *     member. An instance that restarts with the same id (after a crash too) takes its partitions back at once, where
 *     a new dynamic member waits until the group has expired the dead one's session (up to 45 s). A static member
 *     leaving for good keeps its partitions unread for that long: meant for a fixed set of instances, as the
 *     standalone platform runs.
 * @param snapshotInterval how often Siddhi state is snapshotted to rules.state and offsets committed.
 * @param statusInterval how often per-rule counters are published to rule.status.
 * @param startFrom where a group with no committed offset starts: {@code latest} (only new telemetry, the default, so
 *     that a new rules service does not alert on history) or {@code earliest}.
 * @param maxPollRecords most records per poll.
 * @param alertLingerMs linger of the alerts producer, ms: small, since the latency from ingest to alert matters, but
 *     not 1 ms, with which a busy instance sent its alerts a few per request and the broker's CPU for those requests
 *     cut the benchmark's two-instance rate by a fifth (103,168 against 129,241 records/s at 5 ms; p99 ingest to
 *     alert 50.0 and 24.3 ms).
 * @param forwardLingerMs linger of the producer that forwards records to rules.by-tenant for the rules that correlate
 *     devices, ms. Longer than the alerts': at 1 ms the records went out a few at a time, and the broker spent more
 *     CPU on those requests than the rules did on the records. It adds at most this much to those rules' latency.
 */
@JsonDeserialize(builder = RulesServiceConfig.Builder.class)
public record RulesServiceConfig(
        String bootstrapServers,
        String groupId,
        String instanceId,
        String groupInstanceId,
        Duration snapshotInterval,
        Duration statusInterval,
        String startFrom,
        int maxPollRecords,
        int alertLingerMs,
        int forwardLingerMs) {

    private static final Set<String> START_FROM = Set.of("latest", "earliest");
    /** Producer lingers above this hold alerts back longer than anyone watching them would wait. */
    static final int MAX_LINGER_MS = 1_000;

    /** Refuses a value the service could not run with, naming the key; see the components for each one's meaning. */
    public RulesServiceConfig {
        requireText("bootstrapServers", bootstrapServers);
        requireText("groupId", groupId);
        requireText("instanceId", instanceId);
        if (groupInstanceId != null && groupInstanceId.isBlank()) {
            groupInstanceId = null; // an empty key reads as "no static membership", as it always has
        }
        requirePositive("snapshotInterval", snapshotInterval);
        requirePositive("statusInterval", statusInterval);
        if (!START_FROM.contains(startFrom)) {
            throw new IllegalArgumentException("startFrom: 'latest' or 'earliest', not '" + startFrom + "'");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords: at least 1, not " + maxPollRecords);
        }
        requireLinger("alertLingerMs", alertLingerMs);
        requireLinger("forwardLingerMs", forwardLingerMs);
    }

    /** The defaults, to change with the builder's methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: a local broker, the shared group {@code streamthings-rules}. */
    public static RulesServiceConfig defaults() {
        return builder().build();
    }

    /** "pid@host": unique per process on a machine and readable in rule.status. */
    public static String defaultInstanceId() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    /** Whether this instance joins its group as a static member (see {@code groupInstanceId}). */
    boolean staticMember() {
        return groupInstanceId != null;
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": must not be empty");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": a positive duration (PT5S), not " + value);
        }
    }

    private static void requireLinger(String key, int value) {
        if (value < 0 || value > MAX_LINGER_MS) {
            throw new IllegalArgumentException(key + ": 0 to " + MAX_LINGER_MS + " ms, not " + value);
        }
    }

    /** Collects the settings, each starting at its default; {@link #build()} validates them. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {

        private String bootstrapServers = "localhost:9092";
        private String groupId = "streamthings-rules";
        private String instanceId = defaultInstanceId();
        private String groupInstanceId;
        private Duration snapshotInterval = Duration.ofSeconds(5);
        private Duration statusInterval = Duration.ofSeconds(5);
        private String startFrom = "latest";
        private int maxPollRecords = 2_000;
        private int alertLingerMs = 5;
        private int forwardLingerMs = 10;

        private Builder() {}

        @JsonProperty
        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        @JsonProperty
        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        @JsonProperty
        public Builder instanceId(String value) {
            instanceId = value;
            return this;
        }

        @JsonProperty
        public Builder groupInstanceId(String value) {
            groupInstanceId = value;
            return this;
        }

        @JsonProperty
        public Builder snapshotInterval(Duration value) {
            snapshotInterval = value;
            return this;
        }

        @JsonProperty
        public Builder statusInterval(Duration value) {
            statusInterval = value;
            return this;
        }

        @JsonProperty
        public Builder startFrom(String value) {
            startFrom = value;
            return this;
        }

        @JsonProperty
        public Builder maxPollRecords(int value) {
            maxPollRecords = value;
            return this;
        }

        @JsonProperty
        public Builder alertLingerMs(int value) {
            alertLingerMs = value;
            return this;
        }

        @JsonProperty
        public Builder forwardLingerMs(int value) {
            forwardLingerMs = value;
            return this;
        }

        public RulesServiceConfig build() {
            return new RulesServiceConfig(bootstrapServers, groupId, instanceId, groupInstanceId, snapshotInterval,
                    statusInterval, startFrom, maxPollRecords, alertLingerMs, forwardLingerMs);
        }
    }
}
