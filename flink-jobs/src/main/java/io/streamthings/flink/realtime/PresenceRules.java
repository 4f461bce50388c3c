package io.streamthings.flink.realtime;

/**
 * The online/offline decisions, as plain functions of times in milliseconds; {@link DevicePresenceFunction} only
 * keeps the state and the timers.
 */
public final class PresenceRules {

    /** The tag by which a device's records may set its own offline timeout, in ms. */
    public static final String OFFLINE_AFTER_TAG = "offlineAfterMs";
    /** The shortest offline timeout a tag may set: shorter ones would flap on ordinary network jitter. */
    public static final long MIN_OFFLINE_AFTER_MS = 1_000;
    /** The longest offline timeout a tag may set (30 days). */
    public static final long MAX_OFFLINE_AFTER_MS = 30L * 24 * 3600 * 1000;
    /** The longest a sign of life is held back by the per-subtask throttle, ms. */
    public static final long MAX_THROTTLE_MS = 1_000;

    private PresenceRules() {
    }

    /**
     * The offline timeout of a device: its {@code offlineAfterMs} tag when that is a whole number within
     * [{@link #MIN_OFFLINE_AFTER_MS}, {@link #MAX_OFFLINE_AFTER_MS}], else the default.
     *
     * @param tagValue the tag's value, or null when absent
     */
    public static long offlineAfterMs(String tagValue, long defaultMs) {
        if (tagValue == null) {
            return defaultMs;
        }
        try {
            long v = Long.parseLong(tagValue.trim());
            return v >= MIN_OFFLINE_AFTER_MS && v <= MAX_OFFLINE_AFTER_MS ? v : defaultMs;
        } catch (NumberFormatException e) {
            return defaultMs;
        }
    }

    /**
     * How long signs of life of a device may be held back before the presence operator hears of them: at most a second,
     * and at most a quarter of the timeout, so a device is never declared offline while it is still sending.
     */
    public static long throttleMs(long offlineAfterMs) {
        return Math.min(MAX_THROTTLE_MS, offlineAfterMs / 4);
    }

    /** The shortest throttle interval of any device: {@link #throttleMs} of {@link #MIN_OFFLINE_AFTER_MS}. */
    public static final long MIN_THROTTLE_MS = MIN_OFFLINE_AFTER_MS / 4;

    /**
     * Whether a device's sign of life goes on to the presence operator: the first one, then one per throttle interval
     * (a clock that went back lets one through too). The subtask's device table keeps the time; it is not state: a
     * device's records all come from one Kafka partition, hence one subtask, and after a restart the table starts
     * empty, which only lets one extra sign through.
     *
     * @param lastAt processing time the device's last sign of life was let through, ms; Long.MIN_VALUE if none
     * @param now processing time, ms
     * @param throttleMs the device's interval ({@link #throttleMs})
     */
    public static boolean signOfLifeDue(long lastAt, long now, long throttleMs) {
        return lastAt == Long.MIN_VALUE || now < lastAt || now - lastAt >= throttleMs;
    }

    /**
     * What to do when a device's timer fires.
     *
     * @param lastHeardAt processing time of the last sign of life, ms
     * @param offlineAfterMs the device's timeout, ms
     * @param now the timer's time, ms
     * @return {@link #OFFLINE} when the device has been silent for at least its timeout, else the time of the next
     *     check (the moment it would have been silent long enough)
     */
    public static long onTimer(long lastHeardAt, long offlineAfterMs, long now) {
        long due = lastHeardAt + offlineAfterMs;
        return now >= due ? OFFLINE : due;
    }

    /** Returned by {@link #onTimer} for a device that is now offline. */
    public static final long OFFLINE = -1;

    /**
     * Whether a {@code seen} event is due.
     *
     * @param lastSeenEventAt ingest time carried by the last online or seen event of the device, ms
     * @param receivedAt ingest time of this record, ms
     * @param seenIntervalMs interval of seen events, ms; 0 disables them
     */
    public static boolean seenDue(long lastSeenEventAt, long receivedAt, long seenIntervalMs) {
        return seenIntervalMs > 0 && receivedAt - lastSeenEventAt >= seenIntervalMs;
    }
}
