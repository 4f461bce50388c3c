package io.streamthings.devicemgmt.operations;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.DeviceRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A device's own credentials on the device-side endpoints, as API.md has them: {@code Authorization: Bearer
 * <deviceId>@<tenant>:<token>}, {@code @<tenant>} optional for the tenant {@code default}. Checked against the stored
 * salted hash; a device that is not ACTIVE is refused like a bad token (401), so nothing tells which it was.
 */
final class DeviceTokenAuth {

    /** An authenticated device. */
    record Device(String tenant, String deviceId) {}

    private static final String BEARER = "bearer ";
    private static final String DEFAULT_TENANT = "default";

    private final Jdbi jdbi;

    DeviceTokenAuth(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Device authenticate(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized();
        }
        String value = authorization.substring(BEARER.length()).strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw unauthorized();
        }
        String name = value.substring(0, colon);
        String token = value.substring(colon + 1);
        int at = name.lastIndexOf('@');
        if (at > 0 && at < name.length() - 1) {
            Optional<Device> qualified = check(name.substring(at + 1), name.substring(0, at), token);
            if (qualified.isPresent()) {
                return qualified.get();
            }
        }
        return check(DEFAULT_TENANT, name, token).orElseThrow(DeviceTokenAuth::unauthorized);
    }

    private Optional<Device> check(String tenant, String deviceId, String token) {
        Optional<DeviceRow> row = jdbi.withExtension(DeviceDao.class, d -> d.find(tenant, deviceId));
        return row.filter(d -> DeviceStatus.ACTIVE.name().equals(String.valueOf(d.status())))
                .filter(d -> DeviceTokens.verify(d.tokenSalt(), d.tokenHash(), token))
                .map(d -> new Device(tenant, deviceId));
    }

    private static ApiException unauthorized() {
        return new ApiException(401, "missing or bad device credentials: send 'Authorization: Bearer "
                + "<deviceId>@<tenant>:<token>'");
    }
}
