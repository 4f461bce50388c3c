package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A role and the scopes it grants. */
@Schema(name = "RoleSpec")
public record RoleSpec(
        @NotBlank @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "operator")
                String name,
        @NotNull @Size(max = 50) List<@NotBlank @Size(max = 64) String> scopes) {}
