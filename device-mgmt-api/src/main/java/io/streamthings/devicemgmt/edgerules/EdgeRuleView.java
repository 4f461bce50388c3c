package io.streamthings.devicemgmt.edgerules;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A stored edge rule at its current version. */
@Schema(name = "EdgeRule")
public record EdgeRuleView(String id, String name, String description, long version, String app, String createdBy,
        Instant createdAt, String updatedBy, Instant updatedAt) {}
