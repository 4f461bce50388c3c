package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A role as the API shows it. */
@Schema(name = "Role")
public record RoleView(String name, List<String> scopes) {}
