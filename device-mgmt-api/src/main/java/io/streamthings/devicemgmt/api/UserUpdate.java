package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Changes to a user; an absent field is left as it is. A new password revokes the user's tokens. */
@Schema(name = "UserUpdate")
public record UserUpdate(
        @Size(min = 8, max = 72) String password,
        @Size(max = 50) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> roles) {}
