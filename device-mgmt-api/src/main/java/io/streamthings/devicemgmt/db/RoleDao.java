package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Roles of a tenant and the scopes they grant. */
@RegisterConstructorMapper(RoleRow.class)
public interface RoleDao {

    @SqlUpdate("INSERT INTO roles (tenant, name, scopes) VALUES (:tenant, :name, :scopes) ON CONFLICT DO NOTHING")
    int insert(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("scopes") String[] scopes);

    @SqlQuery("SELECT * FROM roles WHERE tenant = :tenant AND name = :name")
    Optional<RoleRow> find(@Bind("tenant") String tenant, @Bind("name") String name);

    @SqlQuery("SELECT * FROM roles WHERE tenant = :tenant AND name = ANY(:names)")
    List<RoleRow> findAll(@Bind("tenant") String tenant, @Bind("names") String[] names);

    @SqlQuery("SELECT * FROM roles WHERE tenant = :tenant ORDER BY name")
    List<RoleRow> list(@Bind("tenant") String tenant);

    @SqlUpdate("UPDATE roles SET scopes = :scopes WHERE tenant = :tenant AND name = :name")
    int updateScopes(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("scopes") String[] scopes);

    @SqlUpdate("DELETE FROM roles WHERE tenant = :tenant AND name = :name")
    int delete(@Bind("tenant") String tenant, @Bind("name") String name);

    @SqlQuery("SELECT name FROM roles WHERE tenant = :tenant AND name = ANY(:names)")
    List<String> existing(@Bind("tenant") String tenant, @Bind("names") String[] names);

    /** The union of the scopes of these roles. */
    @SqlQuery("SELECT DISTINCT unnest(scopes) FROM roles WHERE tenant = :tenant AND name = ANY(:names)")
    List<String> scopesOf(@Bind("tenant") String tenant, @Bind("names") String[] names);
}
