package io.streamthings.devicemgmt.auth;

import java.security.Principal;
import java.util.Set;

/**
 * Who is calling, established from a bearer token: a user or an OAuth2 client, in one tenant, with roles and the scopes
 * the token carries.
 *
 * @param tokenHash SHA-256 of the access token, so the caller can revoke it
 */
public record Caller(String tenant, String name, String kind, Set<String> roles, Set<String> scopes, byte[] tokenHash)
        implements Principal {

    public Caller {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String getName() {
        return name;
    }

    /** Holds the tenant's admin role: may act on every device and group of the tenant. */
    public boolean isAdmin() {
        return roles.contains(Scopes.ADMIN_ROLE);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The roles as an array for SQL {@code = ANY(:roles)}. */
    public String[] roleArray() {
        return roles.toArray(String[]::new);
    }
}
