package io.streamthings.devicemgmt.auth;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/** Dropwizard Auth's view of {@link TokenService}. */
public class BearerAuthenticator implements Authenticator<String, Caller> {

    private final TokenService tokens;

    public BearerAuthenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        return tokens.authenticate(token);
    }
}
