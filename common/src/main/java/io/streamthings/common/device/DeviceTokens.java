package io.streamthings.common.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Device tokens: generation, hashing and constant-time verification, using only the JDK.
 *
 * <p>A token is 32 random bytes from {@link SecureRandom}, base64url-encoded without padding (43 characters). Because a
 * token carries 256 bits of entropy, a salted SHA-256 is as safe as a slow hash and lets ingest verify a token per
 * connection in microseconds; bcrypt would cost milliseconds per check.
 */
public final class DeviceTokens {

    /** Length in bytes of a salt made by {@link #newSalt()}. */
    public static final int SALT_BYTES = 16;

    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private DeviceTokens() {}

    /** A new random device token, base64url without padding. */
    public static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** A new random salt of {@link #SALT_BYTES} bytes. */
    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /**
     * SHA-256 of the salt followed by the token's UTF-8 bytes.
     *
     * @throws NullPointerException when salt or token is null
     */
    public static byte[] hash(byte[] salt, String token) {
        MessageDigest digest = sha256();
        digest.update(salt);
        digest.update(token.getBytes(StandardCharsets.UTF_8));
        return digest.digest();
    }

    /**
     * Whether the token hashes to the expected hash with this salt; compared in constant time so that timing reveals
     * nothing about the stored hash. Returns false for a null or empty token.
     */
    public static boolean verify(byte[] salt, byte[] expectedHash, String token) {
        if (token == null || token.isEmpty() || salt == null || expectedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(salt, token), expectedHash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
