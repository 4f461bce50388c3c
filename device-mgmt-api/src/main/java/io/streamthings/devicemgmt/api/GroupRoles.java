package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The roles a group is shared with; replaces the previous list. */
@Schema(name = "GroupRoles")
public record GroupRoles(
        @NotNull @Size(max = 50) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> roles) {
}
