package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Server-side rule apps of a tenant. */
@RegisterConstructorMapper(RuleRow.class)
public interface RuleDao {

    String COLUMNS = "tenant, name, version, app, description, created_by, created_at, updated_by, updated_at ";

    /** Creates the rule at version 1 or replaces it with the next version; answers the row as stored. */
    @SqlQuery("INSERT INTO rules (tenant, name, version, app, description, created_by, updated_by) "
            + "VALUES (:tenant, :name, 1, :app, :description, :actor, :actor) "
            + "ON CONFLICT (tenant, name) DO UPDATE SET version = rules.version + 1, app = EXCLUDED.app, "
            + "description = EXCLUDED.description, updated_by = EXCLUDED.updated_by, updated_at = now() "
            + "RETURNING " + COLUMNS)
    RuleRow upsert(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("app") String app,
            @Bind("description") String description, @Bind("actor") String actor);

    @SqlQuery("SELECT " + COLUMNS + "FROM rules WHERE tenant = :tenant AND name = :name")
    Optional<RuleRow> find(@Bind("tenant") String tenant, @Bind("name") String name);

    @SqlQuery("SELECT " + COLUMNS + "FROM rules WHERE tenant = :tenant ORDER BY name OFFSET :offset LIMIT :limit")
    List<RuleRow> list(@Bind("tenant") String tenant, @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM rules WHERE tenant = :tenant")
    long count(@Bind("tenant") String tenant);

    @SqlUpdate("DELETE FROM rules WHERE tenant = :tenant AND name = :name")
    int delete(@Bind("tenant") String tenant, @Bind("name") String name);
}
