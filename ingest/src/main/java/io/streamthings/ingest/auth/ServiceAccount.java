package io.streamthings.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The one internal MQTT account ingest itself connects with: it may subscribe to every device's topics. An empty
 * password disables it, so a forgotten setting never leaves an open door.
 *
 * @param username the user name; should be one no device id can take (device ids start with a letter or digit)
 * @param password the password; empty disables the account
 */
public record ServiceAccount(String username, String password) {

    /** @throws NullPointerException when either is null */
    public ServiceAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** True when this is the service account's user name. */
    public boolean is(String user) {
        return username.equals(user);
    }

    /** True when user and password match, the password compared in constant time. */
    public boolean matches(String user, byte[] candidate) {
        if (password.isEmpty() || candidate == null || !is(user)) {
            return false;
        }
        return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), candidate);
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + username + "]";
    }
}
