package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The scopes a role grants; replaces the previous list. */
@Schema(name = "RoleUpdate")
public record RoleUpdate(@NotNull @Size(max = 50) List<@NotBlank @Size(max = 64) String> scopes) {}
