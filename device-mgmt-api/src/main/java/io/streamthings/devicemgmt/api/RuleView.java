package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A deployed rule app with how it runs.
 *
 * @param stats counters summed over the rules-service instances running it; null until one reports
 */
@Schema(name = "Rule")
public record RuleView(
        String name,
        int version,
        String description,
        String app,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt,
        RuleStats stats) {}
