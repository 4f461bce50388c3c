package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A user as the API shows it; never the password hash. */
@Schema(name = "User")
public record UserView(String username, String tenant, List<String> roles, Instant createdAt) {}
