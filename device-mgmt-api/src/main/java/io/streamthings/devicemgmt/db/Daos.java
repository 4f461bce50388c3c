package io.streamthings.devicemgmt.db;

import io.streamthings.devicemgmt.policies.PolicyDao;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Every SqlObject DAO of the service. */
public final class Daos {

    public static final List<Class<?>> ALL = List.of(TenantDao.class, RoleDao.class, UserDao.class, ClientDao.class,
            TokenDao.class, DeviceTypeDao.class, DeviceDao.class, GroupDao.class, ActivityDao.class, OutboxDao.class,
            PolicyDao.class);

    private Daos() {}

    /**
     * Builds the SqlObject metadata of every DAO once in the root configuration. Each handle copies that configuration;
     * metadata first built inside a handle stays in the handle's copy, so without this every {@code attach} would
     * rebuild it by reflection (jdbi issue 2991), which cost more CPU than the SQL itself.
     */
    public static void warm(Jdbi jdbi) {
        for (Class<?> dao : ALL) {
            jdbi.withExtension(dao, extension -> null);
        }
    }
}
