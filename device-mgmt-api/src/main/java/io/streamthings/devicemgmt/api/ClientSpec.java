package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An OAuth2 client (an application) to register; its secret is generated and shown once. */
@Schema(name = "ClientSpec")
public record ClientSpec(
        @Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) @Schema(example = "dashboard")
                String clientId,
        @NotNull @Size(max = 50) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> roles) {
}
