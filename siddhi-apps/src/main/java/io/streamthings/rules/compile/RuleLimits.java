package io.streamthings.rules.compile;

import java.time.Duration;
import java.util.Objects;

/**
 * How much state a rule app may keep, enforced by {@link RuleCompiler}: every window, output rate and pattern must be
 * bounded so that one tenant's rule cannot grow without limit.
 *
 * @param maxWindowTime the longest time window ({@code time}, {@code timeBatch}, {@code externalTime},
 *     {@code externalTimeBatch}, {@code timeLength}, {@code delay}, {@code session}) and time output rate
 * @param maxWindowLength the most events a length window ({@code length}, {@code lengthBatch}, {@code sort},
 *     {@code timeLength}) or an event output rate may hold
 * @param maxWithin the longest {@code within} of a pattern or sequence (and {@code for} of an absent pattern)
 */
public record RuleLimits(Duration maxWindowTime, int maxWindowLength, Duration maxWithin) {

    /**
     * @throws NullPointerException when a duration is null
     * @throws IllegalArgumentException when a limit is zero or negative
     */
    public RuleLimits {
        Objects.requireNonNull(maxWindowTime, "maxWindowTime");
        Objects.requireNonNull(maxWithin, "maxWithin");
        if (maxWindowTime.isNegative() || maxWindowTime.isZero()) {
            throw new IllegalArgumentException("maxWindowTime must be positive: " + maxWindowTime);
        }
        if (maxWithin.isNegative() || maxWithin.isZero()) {
            throw new IllegalArgumentException("maxWithin must be positive: " + maxWithin);
        }
        if (maxWindowLength <= 0) {
            throw new IllegalArgumentException("maxWindowLength must be positive: " + maxWindowLength);
        }
    }

    /** The platform's limits: windows up to 24 hours or 100,000 events, {@code within} up to 24 hours. */
    public static RuleLimits defaults() {
        return new RuleLimits(Duration.ofHours(24), 100_000, Duration.ofHours(24));
    }
}
