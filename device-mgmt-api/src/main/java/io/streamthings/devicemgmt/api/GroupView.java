package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A group, the roles it is shared with and how many devices it holds. */
@Schema(name = "Group")
public record GroupView(
        String id, String name, String description, String owner, List<String> roles, long deviceCount,
        Instant createdAt) {}
