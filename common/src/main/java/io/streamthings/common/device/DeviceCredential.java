package io.streamthings.common.device;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * What ingest and the MQTT broker need to authenticate a device without a database: its identity, status and the
 * salted hash of its token. Published by the device registry on the compacted topic {@code device.credentials}.
 *
 * @param tenant the tenant the device belongs to
 * @param deviceId the device id, unique within the tenant
 * @param deviceType the name of the device type
 * @param owner the user who owns the device
 * @param status the device status; only {@link DeviceStatus#ACTIVE} devices are let in
 * @param salt the salt of the token hash (copied in and out)
 * @param tokenHash SHA-256 of salt and token, see {@link DeviceTokens#hash} (copied in and out)
 * @param updatedAt when the credential or status last changed, epoch milliseconds
 */
public record DeviceCredential(
        String tenant,
        String deviceId,
        String deviceType,
        String owner,
        DeviceStatus status,
        byte[] salt,
        byte[] tokenHash,
        long updatedAt) {

    /** @throws NullPointerException when any field is null */
    public DeviceCredential {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceType, "deviceType");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        salt = Objects.requireNonNull(salt, "salt").clone();
        tokenHash = Objects.requireNonNull(tokenHash, "tokenHash").clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] tokenHash() {
        return tokenHash.clone();
    }

    /** Whether this device may connect now with this token: it is active and the token matches. */
    public boolean admits(String token) {
        return status == DeviceStatus.ACTIVE && DeviceTokens.verify(salt, tokenHash, token);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCredential other
                && updatedAt == other.updatedAt
                && tenant.equals(other.tenant)
                && deviceId.equals(other.deviceId)
                && deviceType.equals(other.deviceType)
                && owner.equals(other.owner)
                && status == other.status
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(tokenHash, other.tokenHash);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(tenant, deviceId, deviceType, owner, status, updatedAt);
        return 31 * (31 * h + Arrays.hashCode(salt)) + Arrays.hashCode(tokenHash);
    }

    @Override
    public String toString() {
        // The hash is not secret, but logs need not carry it.
        return "DeviceCredential[" + tenant + "/" + deviceId + ", type=" + deviceType + ", owner=" + owner
                + ", status=" + status + ", updatedAt=" + updatedAt + ", tokenHash="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(tokenHash).substring(0, 6) + "…]";
    }
}
