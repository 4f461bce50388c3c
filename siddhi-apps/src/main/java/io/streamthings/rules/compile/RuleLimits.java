package io.streamthings.rules.compile;

import java.time.Duration;
import java.util.Objects;

/**
 * How much state and work a rule app may take, enforced by {@link RuleCompiler} (and, for table rows, by the running
 * rule): every window, output rate and pattern must be bounded so that one tenant's rule cannot grow without limit
 * or keep a core busy.
 *
 * @param maxWindowTime the longest time window ({@code time}, {@code timeBatch}, {@code externalTime},
 *     {@code externalTimeBatch}, {@code timeLength}, {@code delay}, {@code session}) and time output rate
 * @param maxWindowLength the most events a length window ({@code length}, {@code lengthBatch}, {@code sort},
 *     {@code timeLength}) or an event output rate may hold
 * @param maxWithin the longest {@code within} of a pattern or sequence (and {@code for} of an absent pattern)
 * @param minTimerPeriod the shortest period of anything that fires on a timer: a trigger's {@code at every}, a time
 *     output rate, a {@code timeBatch} window
 * @param maxTableRows the most rows one table of a rule may hold; a rule that goes beyond stops with an error of its
 *     own (see {@code RuleInstance})
 * @param maxJoinProduct the largest product of the two window sizes (in events) of a join of two windows: how many
 *     pairs one join may have to consider
 */
public record RuleLimits(Duration maxWindowTime, int maxWindowLength, Duration maxWithin, Duration minTimerPeriod,
        int maxTableRows, long maxJoinProduct) {

    /** Default of {@link #minTimerPeriod()}: 1 second. */
    public static final Duration DEFAULT_MIN_TIMER_PERIOD = Duration.ofSeconds(1);

    /** Default of {@link #maxTableRows()}. */
    public static final int DEFAULT_MAX_TABLE_ROWS = 100_000;

    /** Default of {@link #maxJoinProduct()}: e.g. two windows of 1,000 events. */
    public static final long DEFAULT_MAX_JOIN_PRODUCT = 1_000_000L;

    /**
     * @throws NullPointerException when a duration is null
     * @throws IllegalArgumentException when a limit is zero or negative
     */
    public RuleLimits {
        Objects.requireNonNull(maxWindowTime, "maxWindowTime");
        Objects.requireNonNull(maxWithin, "maxWithin");
        Objects.requireNonNull(minTimerPeriod, "minTimerPeriod");
        if (maxWindowTime.isNegative() || maxWindowTime.isZero()) {
            throw new IllegalArgumentException("maxWindowTime must be positive: " + maxWindowTime);
        }
        if (maxWithin.isNegative() || maxWithin.isZero()) {
            throw new IllegalArgumentException("maxWithin must be positive: " + maxWithin);
        }
        if (minTimerPeriod.isNegative() || minTimerPeriod.isZero()) {
            throw new IllegalArgumentException("minTimerPeriod must be positive: " + minTimerPeriod);
        }
        if (maxWindowLength <= 0) {
            throw new IllegalArgumentException("maxWindowLength must be positive: " + maxWindowLength);
        }
        if (maxTableRows <= 0) {
            throw new IllegalArgumentException("maxTableRows must be positive: " + maxTableRows);
        }
        if (maxJoinProduct <= 0) {
            throw new IllegalArgumentException("maxJoinProduct must be positive: " + maxJoinProduct);
        }
    }

    /** Limits on windows and {@code within}, with the defaults for the rest. */
    public RuleLimits(Duration maxWindowTime, int maxWindowLength, Duration maxWithin) {
        this(maxWindowTime, maxWindowLength, maxWithin, DEFAULT_MIN_TIMER_PERIOD, DEFAULT_MAX_TABLE_ROWS,
                DEFAULT_MAX_JOIN_PRODUCT);
    }

    /**
     * The platform's limits: windows up to 24 hours or 100,000 events, {@code within} up to 24 hours, timers no more
     * often than once a second, 100,000 rows per table, joins of two windows up to 1,000,000 pairs.
     */
    public static RuleLimits defaults() {
        return new RuleLimits(Duration.ofHours(24), 100_000, Duration.ofHours(24));
    }
}
