package io.streamthings.devicemgmt.policies;

import io.streamthings.devicemgmt.db.DeviceDao;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Policies, their assignments, the effective policy pushed to each device and its compliance. */
@RegisterConstructorMapper(PolicyRow.class)
@RegisterConstructorMapper(AssignmentRow.class)
@RegisterConstructorMapper(DeviceContextRow.class)
@RegisterConstructorMapper(DevicePolicyRow.class)
@RegisterConstructorMapper(ComplianceRow.class)
public interface PolicyDao {

    String COLUMNS = "tenant, id, name, description, device_type, priority, action, features::text AS features, "
            + "version, created_by, created_at, updated_by, updated_at ";

    String CONTEXT = "SELECT d.id, d.type, d.owner, "
            + "ARRAY(SELECT gd.group_id FROM group_devices gd WHERE gd.tenant = d.tenant AND gd.device_id = d.id) "
            + "AS groups, "
            + "ARRAY(SELECT ur.role FROM user_roles ur WHERE ur.tenant = d.tenant AND ur.username = d.owner "
            + "UNION SELECT unnest(c.roles) FROM oauth_clients c WHERE c.tenant = d.tenant AND c.client_id = d.owner) "
            + "AS roles FROM devices d WHERE d.tenant = :tenant AND d.status <> 'REMOVED' ";

    @SqlUpdate("INSERT INTO policies (tenant, id, name, description, device_type, priority, action, features, version, "
            + "created_by, updated_by) VALUES (:tenant, :id, :name, :description, :deviceType, :priority, :action, "
            + "CAST(:features AS jsonb), 1, :createdBy, :updatedBy) ON CONFLICT DO NOTHING")
    int insert(@BindMethods PolicyRow row);

    @SqlUpdate("UPDATE policies SET name = :name, description = :description, device_type = :deviceType, "
            + "priority = :priority, action = :action, features = CAST(:features AS jsonb), version = version + 1, "
            + "updated_by = :updatedBy, updated_at = now() WHERE tenant = :tenant AND id = :id")
    int update(@BindMethods PolicyRow row);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM policies WHERE tenant = :tenant AND (id = :id OR name = :name))")
    boolean exists(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM policies WHERE tenant = :tenant AND name = :name AND id <> :id)")
    boolean nameTakenByAnother(@Bind("tenant") String tenant, @Bind("id") String id, @Bind("name") String name);

    @SqlQuery("SELECT " + COLUMNS + "FROM policies WHERE tenant = :tenant AND id = :id")
    Optional<PolicyRow> find(@Bind("tenant") String tenant, @Bind("id") String id);

    @SqlQuery("SELECT " + COLUMNS + "FROM policies WHERE tenant = :tenant AND id = :id FOR UPDATE")
    Optional<PolicyRow> findForUpdate(@Bind("tenant") String tenant, @Bind("id") String id);

    @SqlQuery("SELECT " + COLUMNS + "FROM policies WHERE tenant = :tenant "
            + "AND (CAST(:deviceType AS varchar) IS NULL OR device_type = :deviceType) "
            + "ORDER BY name OFFSET :offset LIMIT :limit")
    List<PolicyRow> list(@Bind("tenant") String tenant, @Bind("deviceType") String deviceType,
            @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM policies WHERE tenant = :tenant "
            + "AND (CAST(:deviceType AS varchar) IS NULL OR device_type = :deviceType)")
    long count(@Bind("tenant") String tenant, @Bind("deviceType") String deviceType);

    @SqlQuery("SELECT " + COLUMNS + "FROM policies WHERE tenant = :tenant AND device_type = ANY(:types)")
    List<PolicyRow> ofTypes(@Bind("tenant") String tenant, @Bind("types") String[] types);

    @SqlUpdate("DELETE FROM policies WHERE tenant = :tenant AND id = :id")
    int delete(@Bind("tenant") String tenant, @Bind("id") String id);

    @SqlQuery("SELECT policy_id, kind, target FROM policy_assignments WHERE tenant = :tenant "
            + "AND policy_id = ANY(:ids) ORDER BY policy_id, kind, target")
    List<AssignmentRow> assignments(@Bind("tenant") String tenant, @Bind("ids") String[] policyIds);

    @SqlUpdate("DELETE FROM policy_assignments WHERE tenant = :tenant AND policy_id = :policyId")
    void clearAssignments(@Bind("tenant") String tenant, @Bind("policyId") String policyId);

    @SqlBatch("INSERT INTO policy_assignments (tenant, policy_id, kind, target) "
            + "VALUES (:tenant, :policyId, :kind, :target) ON CONFLICT DO NOTHING")
    void assign(@Bind("tenant") String tenant, @BindMethods List<AssignmentRow> rows);

    /**
     * Locks device types against policy changes of other transactions, in name order (no deadlock between two).
     * Enrollments hold a key-share lock on their type through the devices table's foreign key, so they wait too.
     */
    @SqlQuery("SELECT name FROM device_types WHERE tenant = :tenant AND name = ANY(:names) ORDER BY name FOR UPDATE")
    List<String> lockTypes(@Bind("tenant") String tenant, @Bind("names") String[] names);

    /** Waits for policy changes on these types to finish; other device changes go on in parallel. */
    @SqlQuery("SELECT name FROM device_types WHERE tenant = :tenant AND name = ANY(:names) ORDER BY name FOR SHARE")
    List<String> shareTypes(@Bind("tenant") String tenant, @Bind("names") String[] names);

    @SqlQuery(CONTEXT + "AND d.type = ANY(:types) ORDER BY d.id")
    List<DeviceContextRow> contextsOfTypes(@Bind("tenant") String tenant, @Bind("types") String[] types);

    @SqlQuery(CONTEXT + "AND d.id = ANY(:ids) ORDER BY d.id")
    List<DeviceContextRow> contexts(@Bind("tenant") String tenant, @Bind("ids") String[] ids);

    /** Of these devices, the ones the caller may act on (the per-device rule of {@link DeviceDao}). */
    @SqlQuery("SELECT d.id FROM devices d WHERE d.tenant = :tenant AND d.id = ANY(:ids) AND " + DeviceDao.VISIBLE)
    List<String> visible(@Bind("tenant") String tenant, @Bind("ids") String[] ids, @Bind("caller") String caller,
            @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    @SqlQuery("SELECT device_id, effective::text AS effective, digest, version, operation_id, pushed_at, "
            + "enforcements FROM device_policies WHERE tenant = :tenant AND device_id = ANY(:ids)")
    List<DevicePolicyRow> devicePolicies(@Bind("tenant") String tenant, @Bind("ids") String[] ids);

    @SqlQuery("SELECT device_id, effective::text AS effective, digest, version, operation_id, pushed_at, "
            + "enforcements FROM device_policies WHERE tenant = :tenant AND device_id = :id FOR UPDATE")
    Optional<DevicePolicyRow> devicePolicyForUpdate(@Bind("tenant") String tenant, @Bind("id") String id);

    @SqlUpdate("INSERT INTO device_policies (tenant, device_id, effective, digest, version, operation_id, pushed_at, "
            + "enforcements) VALUES (:tenant, :deviceId, CAST(:effective AS jsonb), :digest, :version, :operationId, "
            + "now(), 0) ON CONFLICT (tenant, device_id) DO UPDATE SET effective = EXCLUDED.effective, "
            + "digest = EXCLUDED.digest, version = EXCLUDED.version, operation_id = EXCLUDED.operation_id, "
            + "pushed_at = EXCLUDED.pushed_at, enforcements = 0")
    void savePushed(@Bind("tenant") String tenant, @BindMethods DevicePolicyRow row);

    @SqlUpdate("UPDATE device_policies SET operation_id = :operationId, pushed_at = now(), "
            + "enforcements = enforcements + 1 "
            + "WHERE tenant = :tenant AND device_id = :deviceId")
    void repushed(@Bind("tenant") String tenant, @Bind("deviceId") String deviceId,
            @Bind("operationId") String operationId);

    @SqlUpdate("DELETE FROM policy_compliance WHERE tenant = :tenant AND device_id = :deviceId")
    void clearCompliance(@Bind("tenant") String tenant, @Bind("deviceId") String deviceId);

    @SqlBatch("INSERT INTO policy_compliance (tenant, device_id, feature, policy_id, state, reported_at) "
            + "VALUES (:tenant, :deviceId, :feature, :policyId, :state, now()) ON CONFLICT (tenant, device_id, feature) "
            + "DO UPDATE SET policy_id = EXCLUDED.policy_id, state = EXCLUDED.state, reported_at = now()")
    void saveCompliance(@Bind("tenant") String tenant, @BindMethods List<ComplianceRow> rows);

    @SqlQuery("SELECT device_id, feature, policy_id, state, reported_at FROM policy_compliance "
            + "WHERE tenant = :tenant AND device_id = :deviceId ORDER BY feature")
    List<ComplianceRow> complianceOf(@Bind("tenant") String tenant, @Bind("deviceId") String deviceId);

    /** The compliance rows of the features a policy supplies, on devices the caller may act on. */
    @SqlQuery("SELECT c.device_id, c.feature, c.policy_id, c.state, c.reported_at FROM policy_compliance c "
            + "JOIN devices d ON d.tenant = c.tenant AND d.id = c.device_id "
            + "WHERE c.tenant = :tenant AND c.policy_id = :policyId AND " + DeviceDao.VISIBLE
            + "ORDER BY c.device_id, c.feature")
    List<ComplianceRow> complianceOfPolicy(@Bind("tenant") String tenant, @Bind("policyId") String policyId,
            @Bind("caller") String caller, @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    /** Of these names, the users and OAuth clients of the tenant (either may own devices). */
    @SqlQuery("SELECT username FROM users WHERE tenant = :tenant AND username = ANY(:names) "
            + "UNION SELECT client_id FROM oauth_clients WHERE tenant = :tenant AND client_id = ANY(:names)")
    List<String> existingOwners(@Bind("tenant") String tenant, @Bind("names") String[] names);

    @SqlQuery("SELECT d.token_salt, d.token_hash FROM devices d WHERE d.tenant = :tenant AND d.id = :id "
            + "AND d.status = 'ACTIVE'")
    @RegisterConstructorMapper(DeviceSecret.class)
    Optional<DeviceSecret> activeSecret(@Bind("tenant") String tenant, @Bind("id") String id);

    /** A device's stored token salt and hash. */
    record DeviceSecret(byte[] tokenSalt, byte[] tokenHash) {}
}
