package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of the token endpoint, in OAuth2's own field names. */
@Schema(name = "Token")
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") @Schema(example = "Bearer") String tokenType,
        @JsonProperty("expires_in") @Schema(description = "seconds", example = "3600") long expiresIn,
        @Schema(description = "granted scopes, space-separated", example = "device:view device:manage")
                String scope) {}
