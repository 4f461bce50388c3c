package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Access tokens and the first administrator. */
public class AuthConfig {

    /** Lifetime of an access token in seconds. */
    @Min(60)
    @Max(31_536_000)
    @JsonProperty
    private long tokenTtlSeconds = 3600;

    /** Where the generated first admin password is written (mode 600) when none is given in the environment. */
    @NotBlank
    @JsonProperty
    private String adminPasswordFile = "./data/initial-admin-password";

    /** How long in ms a validated access token is trusted from memory before PostgreSQL is asked again. */
    @Min(0)
    @Max(300_000)
    @JsonProperty
    private long tokenCacheMs = 10_000;

    public long getTokenTtlSeconds() {
        return tokenTtlSeconds;
    }

    public String getAdminPasswordFile() {
        return adminPasswordFile;
    }

    public long getTokenCacheMs() {
        return tokenCacheMs;
    }
}
