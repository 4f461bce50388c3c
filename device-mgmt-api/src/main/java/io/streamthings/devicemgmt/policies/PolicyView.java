package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/** A policy as the API shows it; {@code version} grows with every change. */
@Schema(name = "Policy")
public record PolicyView(String id, String name, String description, String deviceType, int priority,
        PolicyAction action, Map<String, JsonNode> features, PolicyAssignments assignments, int version,
        String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {}
