package io.streamthings.devicemgmt.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tenants: created on first use. */
public interface TenantDao {

    /** Creates the tenant unless it exists; returns 1 when it was created. */
    @SqlUpdate("INSERT INTO tenants (id) VALUES (:id) ON CONFLICT DO NOTHING")
    int createIfAbsent(@Bind("id") String id);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = :id)")
    boolean exists(@Bind("id") String id);
}
