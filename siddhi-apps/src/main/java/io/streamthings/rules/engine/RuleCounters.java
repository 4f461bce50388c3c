package io.streamthings.rules.engine;

/**
 * What a rule instance has done since it started.
 *
 * @param eventsIn records sent into the app
 * @param eventsSkipped records offered but not sent: lacking a metric the app declares, or of another tenant
 * @param eventsOut alerts emitted
 * @param errors exceptions inside the app (each drops the event it was processing), and alert listener failures
 * @param lastFiredAt when the last alert was emitted, epoch milliseconds by the wall clock, null if never
 * @param lastError the last error, {@code "<ExceptionClass>: <message>"}, null if none
 */
public record RuleCounters(long eventsIn, long eventsSkipped, long eventsOut, long errors, Long lastFiredAt,
        String lastError) {}
