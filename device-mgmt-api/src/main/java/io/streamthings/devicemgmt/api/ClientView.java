package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** An OAuth2 client; {@code clientSecret} is present only in the answer to its creation. */
@Schema(name = "Client")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientView(
        String clientId, String clientSecret, List<String> roles, String createdBy, Instant createdAt) {}
