package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.api.UserSpec;
import io.streamthings.devicemgmt.api.UserUpdate;
import io.streamthings.devicemgmt.api.UserView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.PasswordHasher;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.auth.TokenService;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.db.UserDao;
import io.streamthings.devicemgmt.db.UserRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Users of a tenant and the roles they hold. */
public class UserService {

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final ActivityLog activities;

    public UserService(Jdbi jdbi, PasswordHasher hasher, TokenService tokens, ActivityLog activities) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.tokens = tokens;
        this.activities = activities;
    }

    /** Creates a user; a tenant other than the caller's needs tenant:manage and is created with its admin role. */
    public UserView create(Caller caller, UserSpec spec) {
        String tenant = spec.tenant() == null ? caller.tenant() : spec.tenant();
        if (!tenant.equals(caller.tenant()) && !caller.hasScope(Scopes.TENANT_MANAGE)) {
            throw ApiException.forbidden("creating a user in another tenant needs scope tenant:manage");
        }
        checkPassword(spec.password());
        String hash = hasher.hash(spec.password());
        List<String> roles = spec.roles() == null ? List.of() : List.copyOf(new LinkedHashSet<>(spec.roles()));
        return jdbi.inTransaction(h -> {
            TenantSetup.ensure(h, tenant);
            requireRoles(h, tenant, roles);
            Grants.requireHolds(caller, Grants.scopesOfRoles(h, tenant, roles), "creating a user with these roles");
            UserDao users = h.attach(UserDao.class);
            if (users.insert(spec.username(), tenant, hash) == 0) {
                throw ApiException.conflict("user " + spec.username() + " already exists");
            }
            if (!roles.isEmpty()) {
                users.addRoles(tenant, spec.username(), roles);
            }
            activities.record(h, caller, "user.create", "user", spec.username(),
                    Map.of("tenant", tenant, "roles", roles));
            return view(users.find(spec.username()).orElseThrow());
        });
    }

    public UserView get(Caller caller, String username) {
        return jdbi.onDemand(UserDao.class).find(caller.tenant(), username).map(UserService::view)
                .orElseThrow(() -> notFound(username));
    }

    public List<UserView> list(Caller caller) {
        return jdbi.onDemand(UserDao.class).list(caller.tenant()).stream().map(UserService::view).toList();
    }

    /** Changes a user's password or roles; either change revokes the user's tokens so it takes effect at once. */
    public UserView update(Caller caller, String username, UserUpdate update) {
        if (update.password() != null) {
            checkPassword(update.password());
        }
        String hash = update.password() == null ? null : hasher.hash(update.password());
        UserView view = jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            UserRow target = users.find(caller.tenant(), username).orElseThrow(() -> notFound(username));
            boolean self = username.equals(caller.name()) && "user".equals(caller.kind());
            if (!self) {
                Grants.requireHoldsRoles(h, caller, List.of(target.roles()), "changing user " + username);
            }
            if (hash != null && !self && !caller.isAdmin()) {
                throw ApiException.forbidden("only the user or an admin may change a password");
            }
            if (hash != null) {
                users.updatePassword(username, hash);
            }
            if (update.roles() != null) {
                List<String> roles = List.copyOf(new LinkedHashSet<>(update.roles()));
                requireRoles(h, caller.tenant(), roles);
                Grants.requireHoldsRoles(h, caller, roles, "granting these roles");
                users.clearRoles(username);
                if (!roles.isEmpty()) {
                    users.addRoles(caller.tenant(), username, roles);
                }
            }
            activities.record(h, caller, "user.update", "user", username,
                    Map.of("password", hash != null, "roles", update.roles() == null ? List.of() : update.roles()));
            return view(users.find(username).orElseThrow());
        });
        tokens.revokeAllOf(caller.tenant(), username);
        return view;
    }

    public void delete(Caller caller, String username) {
        if (username.equals(caller.name())) {
            throw ApiException.conflict("you cannot delete yourself");
        }
        jdbi.useTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            UserRow target = users.find(caller.tenant(), username).orElseThrow(() -> notFound(username));
            Grants.requireHoldsRoles(h, caller, List.of(target.roles()), "deleting user " + username);
            if (users.delete(caller.tenant(), username) == 0) {
                throw notFound(username);
            }
            activities.record(h, caller, "user.delete", "user", username, Map.of());
        });
        tokens.revokeAllOf(caller.tenant(), username);
    }

    static void checkPassword(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_BYTES) {
            throw ApiException.badRequest("password: at most 72 bytes in UTF-8");
        }
    }

    static void requireRoles(Handle h, String tenant, List<String> roles) {
        List<String> existing = h.attach(RoleDao.class).existing(tenant, roles.toArray(String[]::new));
        if (existing.size() != roles.size()) {
            List<String> unknown = new ArrayList<>(roles);
            unknown.removeAll(existing);
            throw ApiException.unprocessable("unknown role(s) " + String.join(", ", unknown));
        }
    }

    private static UserView view(UserRow row) {
        return new UserView(row.username(), row.tenant(), List.of(row.roles()), row.createdAt());
    }

    private static ApiException notFound(String username) {
        return ApiException.notFound("user " + username + " not found");
    }
}
