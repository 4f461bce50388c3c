package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The one rule against privilege escalation, used by users, roles and clients: a caller may grant, and may act on a
 * user, role or client holding, only scopes its own token carries. Judged by the token's scopes rather than its
 * roles', so a token narrowed with {@code scope=} cannot do more than it says. Since only the platform's first admin
 * holds {@code tenant:manage}, this alone keeps it out of reach of everyone else.
 */
public final class Grants {

    private Grants() {}

    /** Refuses with 403 unless the caller holds every one of {@code scopes}; {@code what} names the act. */
    public static void requireHolds(Caller caller, Collection<String> scopes, String what) {
        Set<String> beyond = new TreeSet<>(scopes);
        beyond.removeAll(caller.scopes());
        if (!beyond.isEmpty()) {
            throw ApiException.forbidden(what + " needs every scope involved; you do not hold: "
                    + String.join(", ", beyond));
        }
    }

    /** Refuses with 403 unless the caller holds every scope the roles of its tenant grant. */
    public static void requireHoldsRoles(Handle h, Caller caller, Collection<String> roles, String what) {
        requireHolds(caller, scopesOfRoles(h, caller.tenant(), roles), what);
    }

    /** The union of the scopes the named roles of a tenant grant (unknown roles grant nothing). */
    public static Set<String> scopesOfRoles(Handle h, String tenant, Collection<String> roles) {
        if (roles.isEmpty()) {
            return Set.of();
        }
        List<String> scopes = h.attach(RoleDao.class).scopesOf(tenant, roles.toArray(String[]::new));
        return Set.copyOf(scopes);
    }
}
