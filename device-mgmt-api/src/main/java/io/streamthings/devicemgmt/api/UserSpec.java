package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A user to create; {@code tenant} other than the caller's needs scope tenant:manage. */
@Schema(name = "UserSpec")
public record UserSpec(
        @NotBlank @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "alice")
                String username,
        @NotNull @Size(min = 8, max = 72) @Schema(description = "8 to 72 characters") String password,
        @Size(max = 50) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> roles,
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String tenant) {}
