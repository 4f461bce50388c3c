package io.streamthings.ingest.http;

import java.util.Optional;

/**
 * A device's id and token as sent over HTTP. Tokens are stored as salted hashes, so a device cannot be found from its
 * token alone: the device names itself, in either of two ways.
 *
 * <ul>
 *   <li>{@code Authorization: Bearer <deviceId>:<token>}. Device ids may contain {@code :}, tokens (base64url) never
 *       do, so the id is everything before the last colon.</li>
 *   <li>{@code Authorization: Bearer <token>} with {@code X-Device-Id: <deviceId>}.</li>
 * </ul>
 *
 * @param deviceId the device id
 * @param token the device token
 */
public record DeviceCredentials(String deviceId, String token) {

    /** The header naming the device when the bearer value is the bare token. */
    public static final String DEVICE_ID_HEADER = "X-Device-Id";

    private static final String BEARER = "bearer ";

    /**
     * Reads the credentials from the two headers.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param deviceIdHeader the {@code X-Device-Id} header, or null
     * @return empty when they are missing or malformed
     */
    public static Optional<DeviceCredentials> parse(String authorization, String deviceIdHeader) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String value = authorization.substring(BEARER.length()).strip();
        if (deviceIdHeader != null && !deviceIdHeader.isBlank()) {
            return value.isEmpty() ? Optional.empty() : Optional.of(new DeviceCredentials(deviceIdHeader.strip(), value));
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new DeviceCredentials(value.substring(0, colon), value.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "DeviceCredentials[" + deviceId + "]";
    }
}
