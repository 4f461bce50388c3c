package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * How a rule runs, summed over the rules-service instances that report it.
 *
 * @param state {@code RUNNING}, {@code FAILED} (an instance could not start it) or {@code PENDING} (deployed, not
 *     yet reported at its current version)
 * @param runningVersion the version the instances report
 * @param eventsSkipped records of the tenant that lacked a metric the app declares
 * @param eventsOut alerts emitted
 * @param errors events on which the app threw
 * @param lastError the last such error, or why the app could not start
 */
@Schema(name = "RuleStats")
public record RuleStats(
        String state,
        int runningVersion,
        int instances,
        long eventsIn,
        long eventsSkipped,
        long eventsOut,
        long errors,
        Instant lastFiredAt,
        String lastError,
        Instant reportedAt) {}
