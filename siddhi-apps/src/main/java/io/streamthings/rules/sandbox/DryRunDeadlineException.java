package io.streamthings.rules.sandbox;

import java.time.Duration;

/** A dry run took longer than its deadline and was stopped: the app is too costly for the samples given. */
public final class DryRunDeadlineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param deadline the deadline that passed
     * @param eventsDone samples run before it stopped, -1 when unknown (the caller stopped waiting)
     * @param events samples given
     */
    public DryRunDeadlineException(Duration deadline, int eventsDone, int events) {
        super("the dry run took longer than its " + deadline.toMillis() + " ms deadline"
                + (eventsDone >= 0 ? " (stopped after " + eventsDone + " of " + events + " events)" : "")
                + ": make the app cheaper (smaller windows, fewer joins) or send fewer events");
    }
}
