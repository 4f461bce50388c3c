package io.streamthings.rules.service;

import io.streamthings.common.kafka.Topics;
import io.streamthings.kafka.CompactedTopicFollower;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code rules} topic (the registry's deployments) on a thread of its own: the catalog of rule
 * definitions by key {@code tenant/name}, and the keys that changed since the poll loop last asked. Loaded once the
 * topic has been read to the end it had when the follower started.
 */
final class RuleCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(RuleCatalog.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** A key whose definition changed: the definition now, or null once it is removed. */
    record Change(String key, RuleDefinition definition) {}

    private final String bootstrapServers;
    private final Map<String, RuleDefinition> catalog = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> changedKeys = new ConcurrentLinkedQueue<>();
    private final CompactedTopicFollower follower;

    RuleCatalog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        // A failed read starts over from the beginning after a pause: applying a record twice leaves the same table.
        this.follower = CompactedTopicFollower.builder(bootstrapServers, Topics.RULES.name(), this::apply)
                .name("rules-catalog")
                .retryAfter(RETRY)
                .onCaughtUp(() -> LOG.info("Rule catalog loaded: {} rules", catalog.size()))
                .build();
    }

    /** Creates the rules topics where missing, then follows the catalog in a thread of its own. */
    void start() {
        RulesTopics.ensure(bootstrapServers);
        follower.start();
    }

    /** Waits until the topic has been read to its end; false on timeout. */
    boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /**
     * The next key that changed, with its definition as the catalog holds it now (so a key changed twice is seen
     * with its latest definition, once per change); null when none is waiting.
     */
    Change nextChange() {
        String key = changedKeys.poll();
        return key == null ? null : new Change(key, catalog.get(key));
    }

    /** Stops following and waits for the thread to end. */
    void stop() {
        follower.close();
    }

    /**
     * Applies one record of the rules topic: a definition, or a tombstone (null) that removes the key. A record
     * without a key is not a rule; one that does not decode is skipped with a warning and changes nothing.
     */
    void apply(String key, byte[] value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            catalog.remove(key);
        } else {
            try {
                catalog.put(key, CatalogCodec.decodeDefinition(value));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping an unreadable rule record {}: {}", key, e.getMessage());
                return;
            }
        }
        changedKeys.add(key);
    }
}
