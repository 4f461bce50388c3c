package io.streamthings.ingest.auth;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.telemetry.DeviceIdentity;
import java.util.Optional;

/**
 * The answer to a device's credentials.
 *
 * @param outcome what was found
 * @param credential the matching credential when the token matched (admitted or not active), else null
 */
public record AuthResult(Outcome outcome, DeviceCredential credential) {

    /** What was found. */
    public enum Outcome {
        /** An active device whose current token matches. */
        ADMITTED,
        /** The token matches, but the device is BLOCKED, INACTIVE or REMOVED: refused at once. */
        NOT_ACTIVE,
        /** No such device, or a wrong or rotated-away token: the two are not told apart, to reveal nothing. */
        UNKNOWN_OR_BAD_TOKEN
    }

    static AuthResult admitted(DeviceCredential credential) {
        return new AuthResult(Outcome.ADMITTED, credential);
    }

    static AuthResult notActive(DeviceCredential credential) {
        return new AuthResult(Outcome.NOT_ACTIVE, credential);
    }

    static AuthResult refused(Outcome outcome) {
        return new AuthResult(outcome, null);
    }

    /** True when the device may send. */
    public boolean admitted() {
        return outcome == Outcome.ADMITTED;
    }

    /** The identity to stamp records with, when admitted. */
    public Optional<DeviceIdentity> identity() {
        return admitted()
                ? Optional.of(new DeviceIdentity(credential.tenant(), credential.deviceType(), credential.deviceId()))
                : Optional.empty();
    }
}
