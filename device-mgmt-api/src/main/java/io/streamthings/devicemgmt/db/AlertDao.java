package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Alerts, de-duplicated: while an alert is not cleared, its key (tenant, rule, device) has one row, and a new firing
 * updates it. The per-device rule applies as for devices: an alert about a device is visible to whoever may act on
 * the device; an alert about no single device (a site, a group) to the tenant's admins.
 */
@RegisterConstructorMapper(AlertRow.class)
public interface AlertDao {

    String COLUMNS = "a.id, a.tenant, a.rule, a.device_id, a.source, a.severity, a.message, a.status, a.fire_count, "
            + "a.first_ts, a.last_ts, a.first_fired_at, a.last_fired_at, a.alert_values::text AS alert_values, "
            + "a.acknowledged_by, a.acknowledged_at, a.cleared_by, a.cleared_at ";

    String VISIBLE = "(:admin OR (d.id IS NOT NULL AND " + DeviceDao.VISIBLE + ")) ";

    String FROM = "FROM alerts a LEFT JOIN devices d ON d.tenant = a.tenant AND d.id = a.device_id ";

    String FILTERS = "WHERE a.tenant = :tenant AND " + VISIBLE
            + "AND (CAST(:deviceId AS varchar) IS NULL OR a.device_id = :deviceId) "
            + "AND (CAST(:severity AS varchar) IS NULL OR a.severity = :severity) "
            + "AND (CAST(:status AS varchar) IS NULL OR a.status = :status) "
            + "AND (CAST(:rule AS varchar) IS NULL OR a.rule = :rule) "
            + "AND (CAST(:from AS bigint) IS NULL OR a.last_ts >= :from) "
            + "AND (CAST(:to AS bigint) IS NULL OR a.first_ts <= :to) ";

    /**
     * Folds firings in: a new alert, or one more firing of the open one. A firing not newer than the alert's last
     * (a redelivery after a crash) changes nothing, so the count is of distinct firings.
     */
    @SqlBatch("INSERT INTO alerts (tenant, rule, device_id, dedup_key, source, severity, message, first_ts, last_ts, "
            + "first_fired_at, last_fired_at, alert_values) VALUES (:tenant, :rule, :deviceId, :dedupKey, :source, "
            + ":severity, :message, :ts, :ts, :firedAt, :firedAt, CAST(:values AS jsonb)) "
            + "ON CONFLICT (tenant, dedup_key) WHERE status <> 'CLEARED' DO UPDATE SET "
            + "fire_count = alerts.fire_count + 1, last_ts = EXCLUDED.last_ts, "
            + "last_fired_at = EXCLUDED.last_fired_at, alert_values = EXCLUDED.alert_values, "
            + "severity = EXCLUDED.severity, message = EXCLUDED.message "
            + "WHERE EXCLUDED.last_ts > alerts.last_ts")
    void fold(@BindMethods List<AlertFiring> firings);

    @SqlQuery("SELECT " + COLUMNS + FROM + FILTERS + "ORDER BY a.last_fired_at DESC, a.id DESC "
            + "OFFSET :offset LIMIT :limit")
    List<AlertRow> search(@Bind("tenant") String tenant, @Bind("caller") String caller,
            @Bind("roles") String[] roles, @Bind("admin") boolean admin, @Bind("deviceId") String deviceId,
            @Bind("severity") String severity, @Bind("status") String status, @Bind("rule") String rule,
            @Bind("from") Long from, @Bind("to") Long to, @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) " + FROM + FILTERS)
    long count(@Bind("tenant") String tenant, @Bind("caller") String caller, @Bind("roles") String[] roles,
            @Bind("admin") boolean admin, @Bind("deviceId") String deviceId, @Bind("severity") String severity,
            @Bind("status") String status, @Bind("rule") String rule, @Bind("from") Long from, @Bind("to") Long to);

    @SqlQuery("SELECT " + COLUMNS + FROM + "WHERE a.tenant = :tenant AND a.id = :id AND " + VISIBLE)
    Optional<AlertRow> findVisible(@Bind("tenant") String tenant, @Bind("id") long id,
            @Bind("caller") String caller, @Bind("roles") String[] roles, @Bind("admin") boolean admin);

    @SqlUpdate("UPDATE alerts SET status = 'ACKNOWLEDGED', acknowledged_by = :actor, acknowledged_at = now() "
            + "WHERE tenant = :tenant AND id = :id AND status = 'OPEN'")
    int acknowledge(@Bind("tenant") String tenant, @Bind("id") long id, @Bind("actor") String actor);

    @SqlUpdate("UPDATE alerts SET status = 'CLEARED', cleared_by = :actor, cleared_at = now() "
            + "WHERE tenant = :tenant AND id = :id AND status <> 'CLEARED'")
    int clear(@Bind("tenant") String tenant, @Bind("id") long id, @Bind("actor") String actor);
}
