package io.streamthings.rules.engine;

/**
 * Receives what a rule inserts into {@code AlertStream}. Called on the thread that offered the event, or in
 * {@link TimeMode#LIVE} also on a Siddhi scheduler thread when a timer fires (a time batch closing, an absent-event
 * pattern): implementations must be thread-safe and quick. An exception thrown here is counted as the rule's error.
 */
@FunctionalInterface
public interface AlertListener {

    /** Handles one alert. */
    void onAlert(EmittedAlert alert);
}
