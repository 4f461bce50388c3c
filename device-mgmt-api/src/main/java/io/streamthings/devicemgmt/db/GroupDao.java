package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Device groups, their members and the roles they are shared with. A group is visible to an admin of its tenant, its
 * owner and holders of a role it is shared with.
 */
@RegisterConstructorMapper(GroupRow.class)
public interface GroupDao {

    String COLUMNS = "g.tenant, g.id, g.name, g.description, g.owner, g.created_at, "
            + "ARRAY(SELECT r.role FROM group_roles r WHERE r.tenant = g.tenant AND r.group_id = g.id ORDER BY r.role) "
            + "AS roles, (SELECT count(*) FROM group_devices m WHERE m.tenant = g.tenant AND m.group_id = g.id) "
            + "AS device_count ";

    String VISIBLE = "(:admin OR g.owner = :caller OR EXISTS (SELECT 1 FROM group_roles v "
            + "WHERE v.tenant = g.tenant AND v.group_id = g.id AND v.role = ANY(:roles))) ";

    @SqlUpdate("INSERT INTO device_groups (tenant, id, name, description, owner) "
            + "VALUES (:tenant, :id, :name, :description, :owner) ON CONFLICT DO NOTHING")
    int insert(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name,
            @Bind("description") String description, @Bind("owner") String owner);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM device_groups WHERE tenant = :tenant AND (id = :id OR name = :name))")
    boolean exists(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM device_groups WHERE tenant = :tenant AND name = :name AND id <> :id)")
    boolean nameTakenByAnother(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name);

    @SqlQuery("SELECT " + COLUMNS + "FROM device_groups g WHERE g.tenant = :tenant AND g.id = :id AND " + VISIBLE)
    Optional<GroupRow> findVisible(@Bind("tenant") String tenant, @Bind("id") String id,
            @Bind("caller") String caller, @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    @SqlQuery("SELECT " + COLUMNS + "FROM device_groups g WHERE g.tenant = :tenant AND " + VISIBLE
            + "ORDER BY g.name OFFSET :offset LIMIT :limit")
    List<GroupRow> list(@Bind("tenant") String tenant, @Bind("caller") String caller, @Bind("roles") String[] roles,
            @Bind("admin") boolean admin, @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM device_groups g WHERE g.tenant = :tenant AND " + VISIBLE)
    long count(@Bind("tenant") String tenant, @Bind("caller") String caller, @Bind("roles") String[] roles,
            @Bind("admin") boolean admin);

    @SqlQuery("SELECT id FROM device_groups g WHERE g.tenant = :tenant AND g.id = ANY(:ids) AND " + VISIBLE)
    List<String> visibleIds(@Bind("tenant") String tenant, @Bind("ids") String[] ids, @Bind("caller") String caller,
            @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    @SqlUpdate("UPDATE device_groups SET name = :name, description = :description "
            + "WHERE tenant = :tenant AND id = :id")
    int update(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name,
            @Bind("description") String description);

    @SqlUpdate("DELETE FROM device_groups WHERE tenant = :tenant AND id = :id")
    int delete(@Bind("tenant") String tenant, @Bind("id") String id);

    @SqlUpdate("INSERT INTO group_devices (tenant, group_id, device_id) VALUES (:tenant, :groupId, :deviceId) "
            + "ON CONFLICT DO NOTHING")
    int addDevice(@Bind("tenant") String tenant, @Bind("groupId") String groupId, @Bind("deviceId") String deviceId);

    @SqlBatch("INSERT INTO group_devices (tenant, group_id, device_id) VALUES (:tenant, :groupId, :deviceId) "
            + "ON CONFLICT DO NOTHING")
    void addDevices(@Bind("tenant") String tenant, @Bind("groupId") List<String> groupIds,
            @Bind("deviceId") List<String> deviceIds);

    @SqlUpdate("DELETE FROM group_devices WHERE tenant = :tenant AND group_id = :groupId AND device_id = :deviceId")
    int removeDevice(@Bind("tenant") String tenant, @Bind("groupId") String groupId,
            @Bind("deviceId") String deviceId);

    @SqlUpdate("DELETE FROM group_roles WHERE tenant = :tenant AND group_id = :groupId")
    void clearRoles(@Bind("tenant") String tenant, @Bind("groupId") String groupId);

    @SqlBatch("INSERT INTO group_roles (tenant, group_id, role) VALUES (:tenant, :groupId, :role)")
    void addRoles(@Bind("tenant") String tenant, @Bind("groupId") String groupId, @Bind("role") List<String> roles);
}
