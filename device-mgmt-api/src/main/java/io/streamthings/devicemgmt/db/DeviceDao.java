package io.streamthings.devicemgmt.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Devices. Queries that a caller drives take the caller's name, roles and admin flag and apply the per-device rule
 * in SQL: a device is visible to an admin of its tenant, to its owner, and to holders of a role its groups are shared
 * with.
 */
@RegisterConstructorMapper(DeviceRow.class)
public interface DeviceDao {

    String COLUMNS = "d.tenant, d.id, d.name, d.type, d.owner, d.status, d.properties::text AS properties, "
            + "d.token_salt, d.token_hash, d.last_seen, d.online, d.created_at, d.updated_at, "
            + "ARRAY(SELECT g.group_id FROM group_devices g WHERE g.tenant = d.tenant AND g.device_id = d.id "
            + "ORDER BY g.group_id) AS groups ";

    String VISIBLE = "(:admin OR d.owner = :caller OR EXISTS (SELECT 1 FROM group_devices gd "
            + "JOIN group_roles gr ON gr.tenant = gd.tenant AND gr.group_id = gd.group_id "
            + "WHERE gd.tenant = d.tenant AND gd.device_id = d.id AND gr.role = ANY(:roles))) ";

    // Every filter is a bound parameter; a null filter matches everything. LIKE escapes with '!' because JDBI's
    // statement lexer would read a backslash in a literal as escaping the quote.
    String FILTERS = "WHERE d.tenant = :tenant AND " + VISIBLE
            + "AND (CAST(:type AS varchar) IS NULL OR d.type = :type) "
            + "AND (CAST(:status AS varchar) IS NULL OR d.status = :status) "
            + "AND (CAST(:group AS varchar) IS NULL OR EXISTS (SELECT 1 FROM group_devices gf "
            + "WHERE gf.tenant = d.tenant AND gf.device_id = d.id AND gf.group_id = :group)) "
            + "AND (CAST(:qLike AS varchar) IS NULL "
            + "OR d.id ILIKE :qLike ESCAPE '!' OR d.name ILIKE :qLike ESCAPE '!') "
            + "AND (CAST(:online AS boolean) IS NULL OR d.online = :online) ";

    /** Inserts the device and answers its creation time; empty when the id is taken. */
    @SqlQuery("INSERT INTO devices (tenant, id, name, type, owner, status, properties, token_salt, token_hash) "
            + "VALUES (:tenant, :id, :name, :type, :owner, :status, CAST(:properties AS jsonb), :tokenSalt, "
            + ":tokenHash) ON CONFLICT DO NOTHING RETURNING created_at")
    Optional<Instant> insert(@BindMethods NewDeviceRow row);

    /** One count per row: 0 where the id was taken meanwhile. */
    @SqlBatch("INSERT INTO devices (tenant, id, name, type, owner, status, properties, token_salt, token_hash) "
            + "VALUES (:tenant, :id, :name, :type, :owner, :status, CAST(:properties AS jsonb), :tokenSalt, "
            + ":tokenHash) ON CONFLICT DO NOTHING")
    int[] insertAll(@BindMethods List<NewDeviceRow> rows);

    @SqlQuery("SELECT " + COLUMNS + "FROM devices d WHERE d.tenant = :tenant AND d.id = :id")
    Optional<DeviceRow> find(@Bind("tenant") String tenant, @Bind("id") String id);

    /** The device if it exists and the caller may act on it, locked for update. */
    @SqlQuery("SELECT " + COLUMNS + "FROM devices d WHERE d.tenant = :tenant AND d.id = :id AND " + VISIBLE
            + "FOR UPDATE")
    Optional<DeviceRow> findVisibleForUpdate(@Bind("tenant") String tenant, @Bind("id") String id,
            @Bind("caller") String caller, @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    @SqlQuery("SELECT " + COLUMNS + "FROM devices d WHERE d.tenant = :tenant AND d.id = :id AND " + VISIBLE)
    Optional<DeviceRow> findVisible(@Bind("tenant") String tenant, @Bind("id") String id,
            @Bind("caller") String caller, @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    @SqlQuery("SELECT " + COLUMNS + "FROM devices d " + FILTERS + "ORDER BY d.id OFFSET :offset LIMIT :limit")
    List<DeviceRow> search(@Bind("tenant") String tenant, @Bind("caller") String caller,
            @Bind("roles") String[] roles, @Bind("admin") boolean admin, @Bind("type") String type,
            @Bind("status") String status, @Bind("group") String group, @Bind("qLike") String qLike,
            @Bind("online") Boolean online, @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM devices d " + FILTERS)
    long count(@Bind("tenant") String tenant, @Bind("caller") String caller, @Bind("roles") String[] roles,
            @Bind("admin") boolean admin, @Bind("type") String type, @Bind("status") String status,
            @Bind("group") String group, @Bind("qLike") String qLike, @Bind("online") Boolean online);

    @SqlQuery("SELECT id FROM devices WHERE tenant = :tenant AND id = ANY(:ids)")
    List<String> existingIds(@Bind("tenant") String tenant, @Bind("ids") String[] ids);

    @SqlUpdate("UPDATE devices SET name = :name, owner = :owner, status = :status, "
            + "properties = CAST(:properties AS jsonb), updated_at = now() WHERE tenant = :tenant AND id = :id")
    int update(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name,
            @Bind("owner") String owner, @Bind("status") String status, @Bind("properties") String properties);

    @SqlUpdate("UPDATE devices SET token_salt = :salt, token_hash = :hash, updated_at = now() "
            + "WHERE tenant = :tenant AND id = :id")
    int updateToken(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("salt") byte[] salt,
            @Bind("hash") byte[] hash);

    @SqlUpdate("DELETE FROM devices WHERE tenant = :tenant AND id = :id")
    int delete(@Bind("tenant") String tenant, @Bind("id") String id);

    @SqlQuery("SELECT count(*) FROM devices WHERE tenant = :tenant AND type = :type")
    long countOfType(@Bind("tenant") String tenant, @Bind("type") String type);

    /**
     * Applies what the stream saw, in one batch. A report older than what is stored does not move lastSeen back, and
     * a seen-only report leaves the online flag alone.
     */
    @SqlBatch("UPDATE devices SET last_seen = GREATEST(last_seen, :seenAt), "
            + "online = COALESCE(CAST(:online AS boolean), online) WHERE tenant = :tenant AND id = :deviceId")
    int[] updateLastSeen(@BindMethods List<LastSeenUpdate> updates);
}
