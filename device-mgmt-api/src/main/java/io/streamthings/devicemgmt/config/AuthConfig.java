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

    /** Token-endpoint attempts one client address may make per minute; beyond, 429 with Retry-After. */
    @Min(1)
    @JsonProperty
    private int loginAttemptsPerAddressPerMinute = 120;

    /** Token-endpoint attempts per minute for one username or client id. */
    @Min(1)
    @JsonProperty
    private int loginAttemptsPerUsernamePerMinute = 30;

    /** Consecutive wrong passwords (or secrets) after which the username is locked out. */
    @Min(1)
    @JsonProperty
    private int lockoutFailures = 10;

    /** How long a lockout lasts, in seconds. */
    @Min(1)
    @Max(86_400)
    @JsonProperty
    private long lockoutSeconds = 900;

    /** bcrypt checks the token endpoint runs at once; 0 means half the cores, at least 1. */
    @Min(0)
    @JsonProperty
    private int passwordCheckConcurrency = 0;

    /** How long in ms a token request waits for a free bcrypt turn before 503. */
    @Min(0)
    @Max(30_000)
    @JsonProperty
    private long passwordCheckWaitMs = 500;

    public int getLoginAttemptsPerAddressPerMinute() {
        return loginAttemptsPerAddressPerMinute;
    }

    public int getLoginAttemptsPerUsernamePerMinute() {
        return loginAttemptsPerUsernamePerMinute;
    }

    public int getLockoutFailures() {
        return lockoutFailures;
    }

    public long getLockoutSeconds() {
        return lockoutSeconds;
    }

    public int getPasswordCheckConcurrency() {
        return passwordCheckConcurrency;
    }

    public long getPasswordCheckWaitMs() {
        return passwordCheckWaitMs;
    }

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
