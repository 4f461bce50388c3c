package io.streamthings.rules.catalog;

import java.util.Objects;

/**
 * A deployed rule app as the registry publishes it on the compacted {@code rules} topic, keyed {@code tenant/name}.
 * A new version of a rule replaces the running one; a tombstone undeploys it.
 *
 * @param version increases by one with every deployment of the same name
 * @param app the Siddhi app text
 * @param updatedAt when this version was deployed, epoch milliseconds
 */
public record RuleDefinition(String tenant, String name, int version, String app, long updatedAt) {

    public RuleDefinition {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(app, "app");
    }

    /** The Kafka key, {@code tenant/name}. */
    public String key() {
        return key(tenant, name);
    }

    /** The Kafka key of a tenant's rule. */
    public static String key(String tenant, String name) {
        return tenant + "/" + name;
    }

    /** The tenant of a Kafka key built by {@link #key(String, String)}. */
    public static String tenantOfKey(String key) {
        int slash = key.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a rule key: " + key);
        }
        return key.substring(0, slash);
    }
}
