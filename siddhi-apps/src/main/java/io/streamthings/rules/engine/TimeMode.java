package io.streamthings.rules.engine;

/** Whose clock a rule's windows, patterns and timers follow. */
public enum TimeMode {
    /**
     * Processing time: events are stamped with the wall clock when offered, and Siddhi's scheduler threads fire
     * timers (window expiry, time batches) as real time passes, so alerts may come from those threads.
     */
    LIVE,
    /**
     * Event time ({@code @app:playback}): each event is stamped with its record's {@code ts} and time moves only with
     * the events, on the caller's thread, so the same records give the same alerts every time.
     */
    PLAYBACK
}
