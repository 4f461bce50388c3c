package io.streamthings.rules.catalog;

/**
 * What one rules-service instance reports of one rule on the compacted {@code rule.status} topic, keyed
 * {@code tenant/name/instance}: its counters over the partitions the instance owns, and whether it runs.
 *
 * @param state {@code RUNNING}, or {@code FAILED} when the instance could not start the app
 * @param error why it failed, or the last runtime error of the app; null when none
 * @param lastFiredAt when the rule last emitted an alert, epoch milliseconds, or null
 * @param reportedAt when the instance sent this report, epoch milliseconds
 */
public record RuleStatus(String tenant, String name, int version, String instance, String state, String error,
        long eventsIn, long eventsSkipped, long eventsOut, long errors, Long lastFiredAt, long reportedAt) {

    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";

    /** The Kafka key, {@code tenant/name/instance}. */
    public String key() {
        return RuleDefinition.key(tenant, name) + "/" + instance;
    }
}
