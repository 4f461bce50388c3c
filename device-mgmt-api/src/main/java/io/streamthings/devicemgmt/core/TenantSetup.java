package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.db.TenantDao;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Creates a tenant on first use, with its admin role. */
public final class TenantSetup {

    /** The tenant of the platform's first admin. */
    public static final String DEFAULT_TENANT = "default";

    private TenantSetup() {}

    public static void ensure(Handle h, String tenant) {
        if (h.attach(TenantDao.class).createIfAbsent(tenant) == 1) {
            List<String> scopes = new ArrayList<>(Scopes.TENANT_ADMIN);
            if (DEFAULT_TENANT.equals(tenant)) {
                scopes.add(Scopes.TENANT_MANAGE);
            }
            h.attach(RoleDao.class).insert(tenant, Scopes.ADMIN_ROLE, scopes.toArray(String[]::new));
        }
    }
}
