package io.streamthings.ingest.http;

import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.ingest.auth.AuthResult;
import io.streamthings.ingest.auth.DeviceDirectory;
import io.streamthings.ingest.mqtt.MqttIdentity;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * Authenticates a device by its token (see {@link DeviceCredentials} for the header forms; the device may be named
 * {@code deviceId@tenant}) against the
 * {@link DeviceDirectory} in memory, and leaves its {@link DeviceIdentity} in the request property {@link #DEVICE}.
 * Unknown device, wrong or rotated token: 401. Right token of a blocked, inactive or removed device: 403, at once.
 */
@DeviceAuthenticated
@Priority(Priorities.AUTHENTICATION)
public final class DeviceAuthFilter implements ContainerRequestFilter {

    /** The request property holding the authenticated {@link DeviceIdentity}. */
    public static final String DEVICE = "streamthings.ingest.device";

    private final DeviceDirectory directory;

    public DeviceAuthFilter(DeviceDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<DeviceCredentials> credentials = DeviceCredentials.parse(
                request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getHeaderString(DeviceCredentials.DEVICE_ID_HEADER));
        if (credentials.isEmpty()) {
            request.abortWith(IngestResponses.unauthorized("missing device credentials: send 'Authorization: Bearer "
                    + "<deviceId>:<token>', or 'Authorization: Bearer <token>' with 'X-Device-Id: <deviceId>'"));
            return;
        }
        AuthResult result = authenticate(credentials.get());
        switch (result.outcome()) {
            case ADMITTED -> request.setProperty(DEVICE, result.identity().orElseThrow());
            case NOT_ACTIVE -> request.abortWith(IngestResponses.error(403,
                    "device " + result.credential().deviceId() + " is " + result.credential().status()));
            default -> request.abortWith(IngestResponses.unauthorized("unknown device or wrong device token"));
        }
    }

    /**
     * {@code deviceId@tenant} names the tenant, as MQTT's user name does: only that tenant's device may answer. A name
     * without {@code @}, or one whose tenant-qualified reading matches nothing, is looked up as a bare device id.
     */
    private AuthResult authenticate(DeviceCredentials c) {
        MqttIdentity named = c.deviceId().indexOf('@') > 0 ? MqttIdentity.parse(c.deviceId()) : null;
        if (named != null) {
            AuthResult qualified = directory.authenticate(named.tenant(), named.deviceId(), c.token());
            if (qualified.outcome() != AuthResult.Outcome.UNKNOWN_OR_BAD_TOKEN) {
                return qualified;
            }
        }
        return directory.authenticate(c.deviceId(), c.token());
    }
}
