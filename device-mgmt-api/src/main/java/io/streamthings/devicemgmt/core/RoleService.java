package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.api.RoleSpec;
import io.streamthings.devicemgmt.api.RoleUpdate;
import io.streamthings.devicemgmt.api.RoleView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.auth.TokenService;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.db.RoleRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Roles of a tenant and the scopes they grant. */
public class RoleService {

    private final Jdbi jdbi;
    private final ActivityLog activities;
    private final TokenService tokens;

    public RoleService(Jdbi jdbi, ActivityLog activities, TokenService tokens) {
        this.jdbi = jdbi;
        this.activities = activities;
        this.tokens = tokens;
    }

    public RoleView create(Caller caller, RoleSpec spec) {
        String[] scopes = checkScopes(caller, spec.scopes());
        return jdbi.inTransaction(h -> {
            RoleDao dao = h.attach(RoleDao.class);
            if (dao.insert(caller.tenant(), spec.name(), scopes) == 0) {
                throw ApiException.conflict("role " + spec.name() + " already exists");
            }
            activities.record(h, caller, "role.create", "role", spec.name(), Map.of("scopes", List.of(scopes)));
            return view(dao.find(caller.tenant(), spec.name()).orElseThrow());
        });
    }

    public RoleView get(Caller caller, String name) {
        return jdbi.onDemand(RoleDao.class).find(caller.tenant(), name).map(RoleService::view)
                .orElseThrow(() -> notFound(name));
    }

    public List<RoleView> list(Caller caller) {
        return jdbi.onDemand(RoleDao.class).list(caller.tenant()).stream().map(RoleService::view).toList();
    }

    /** Replaces the scopes of a role; the admin role is fixed so that a tenant cannot lock itself out. */
    public RoleView update(Caller caller, String name, RoleUpdate update) {
        if (Scopes.ADMIN_ROLE.equals(name)) {
            throw ApiException.conflict("the admin role cannot be changed");
        }
        String[] scopes = checkScopes(caller, update.scopes());
        RoleView changed = jdbi.inTransaction(h -> {
            RoleDao dao = h.attach(RoleDao.class);
            RoleRow current = dao.find(caller.tenant(), name).orElseThrow(() -> notFound(name));
            Grants.requireHolds(caller, List.of(current.scopes()), "changing role " + name);
            if (dao.updateScopes(caller.tenant(), name, scopes) == 0) {
                throw notFound(name);
            }
            activities.record(h, caller, "role.update", "role", name, Map.of("scopes", List.of(scopes)));
            return view(dao.find(caller.tenant(), name).orElseThrow());
        });
        tokens.roleChanged(caller.tenant(), name);
        return changed;
    }

    public void delete(Caller caller, String name) {
        if (Scopes.ADMIN_ROLE.equals(name)) {
            throw ApiException.conflict("the admin role cannot be deleted");
        }
        jdbi.useTransaction(h -> {
            RoleDao dao = h.attach(RoleDao.class);
            RoleRow current = dao.find(caller.tenant(), name).orElseThrow(() -> notFound(name));
            Grants.requireHolds(caller, List.of(current.scopes()), "deleting role " + name);
            if (dao.delete(caller.tenant(), name) == 0) {
                throw notFound(name);
            }
            activities.record(h, caller, "role.delete", "role", name, Map.of());
        });
        tokens.roleChanged(caller.tenant(), name);
    }

    /** Known scopes only, and none the caller lacks: a role cannot grant more than its author holds. */
    private static String[] checkScopes(Caller caller, List<String> scopes) {
        List<String> unknown = scopes.stream().filter(s -> !Scopes.ALL.contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("scopes: unknown " + String.join(", ", unknown));
        }
        Grants.requireHolds(caller, scopes, "granting scopes");
        return new LinkedHashSet<>(scopes).toArray(String[]::new);
    }

    private static RoleView view(RoleRow row) {
        return new RoleView(row.name(), List.of(row.scopes()));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("role " + name + " not found");
    }
}
