package io.streamthings.devicemgmt.db;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The audit log; written in the transaction of the change it records. */
@RegisterConstructorMapper(ActivityRow.class)
public interface ActivityDao {

    @SqlUpdate("INSERT INTO activities (tenant, actor, action, target_type, target_id, details) "
            + "VALUES (:tenant, :actor, :action, :targetType, :targetId, CAST(:details AS jsonb))")
    void insert(@Bind("tenant") String tenant, @Bind("actor") String actor, @Bind("action") String action,
            @Bind("targetType") String targetType, @Bind("targetId") String targetId,
            @Bind("details") String detailsJson);

    String FILTER = "WHERE tenant = :tenant AND at >= :from AND at < :to "
            + "AND (CAST(:actor AS varchar) IS NULL OR actor = :actor) ";

    @SqlQuery("SELECT id, tenant, actor, action, target_type, target_id, details::text AS details, at "
            + "FROM activities " + FILTER + "ORDER BY at DESC, id DESC OFFSET :offset LIMIT :limit")
    List<ActivityRow> find(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to,
            @Bind("actor") String actor, @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM activities " + FILTER)
    long count(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to,
            @Bind("actor") String actor);
}
