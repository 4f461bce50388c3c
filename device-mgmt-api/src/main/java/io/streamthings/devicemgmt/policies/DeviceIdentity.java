package io.streamthings.devicemgmt.policies;

import io.streamthings.common.device.DeviceTokens;
import io.streamthings.devicemgmt.errors.ApiException;
import org.jdbi.v3.core.Jdbi;

/**
 * Authenticates a device by its token, as API.md has it: {@code Authorization: Bearer <deviceId>@<tenant>:<token>},
 * {@code @<tenant>} left out for the tenant {@code default}. Tokens (base64url) hold no {@code :}, ids may: the id is
 * everything before the last one.
 */
public final class DeviceIdentity {

    static final String DEFAULT_TENANT = "default";
    private static final String BEARER = "bearer ";

    /** An authenticated device. */
    public record Device(String tenant, String deviceId) {}

    private final Jdbi jdbi;

    public DeviceIdentity(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The device the header names and proves; 401 for anything else (no hint whether the device exists). */
    public Device authenticate(String authorization) {
        Device named = parse(authorization);
        if (named == null) {
            throw unauthorized();
        }
        PolicyDao.DeviceSecret secret = jdbi.onDemand(PolicyDao.class)
                .activeSecret(named.tenant(), named.deviceId()).orElse(null);
        String token = authorization.substring(authorization.lastIndexOf(':') + 1);
        if (secret == null || !DeviceTokens.verify(secret.tokenSalt(), secret.tokenHash(), token)) {
            throw unauthorized();
        }
        return named;
    }

    /** The device a header names, or null when it is not of the expected shape. */
    static Device parse(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = authorization.substring(BEARER.length()).strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return null;
        }
        String name = value.substring(0, colon);
        int at = name.lastIndexOf('@');
        if (at == 0 || at == name.length() - 1) {
            return null;
        }
        return at < 0 ? new Device(DEFAULT_TENANT, name) : new Device(name.substring(at + 1), name.substring(0, at));
    }

    private static ApiException unauthorized() {
        return new ApiException(401, "missing or invalid device token");
    }
}
