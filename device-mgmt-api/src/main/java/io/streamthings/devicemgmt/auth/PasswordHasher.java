package io.streamthings.devicemgmt.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** Passwords and client secrets, hashed with bcrypt. */
public class PasswordHasher {

    /** Cost 10 takes ~60 ms here: slow for an attacker, tolerable for a login. */
    public static final int DEFAULT_COST = 10;

    // bcrypt reads at most 72 bytes; longer inputs are refused by the API rather than silently truncated.
    public static final int MAX_BYTES = 72;

    private final int cost;

    public PasswordHasher() {
        this(DEFAULT_COST);
    }

    public PasswordHasher(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean verify(String password, String hash) {
        if (password == null || hash == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }
}
