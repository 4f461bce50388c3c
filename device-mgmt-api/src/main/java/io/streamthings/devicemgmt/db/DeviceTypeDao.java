package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Device types of a tenant. */
@RegisterConstructorMapper(DeviceTypeRow.class)
public interface DeviceTypeDao {

    String COLUMNS = "tenant, name, description, features::text AS features, metrics::text AS metrics, "
            + "properties::text AS properties, transports::text AS transports, created_at, updated_at ";

    @SqlUpdate("INSERT INTO device_types (tenant, name, description, features, metrics, properties, transports) "
            + "VALUES (:tenant, :name, :description, CAST(:features AS jsonb), CAST(:metrics AS jsonb), "
            + "CAST(:properties AS jsonb), CAST(:transports AS jsonb)) ON CONFLICT DO NOTHING")
    int insert(@BindMethods DeviceTypeRow row);

    @SqlUpdate("UPDATE device_types SET description = :description, features = CAST(:features AS jsonb), "
            + "metrics = CAST(:metrics AS jsonb), properties = CAST(:properties AS jsonb), "
            + "transports = CAST(:transports AS jsonb), updated_at = now() WHERE tenant = :tenant AND name = :name")
    int update(@BindMethods DeviceTypeRow row);

    @SqlQuery("SELECT " + COLUMNS + "FROM device_types WHERE tenant = :tenant AND name = :name")
    Optional<DeviceTypeRow> find(@Bind("tenant") String tenant, @Bind("name") String name);

    @SqlQuery("SELECT " + COLUMNS + "FROM device_types WHERE tenant = :tenant ORDER BY name OFFSET :offset "
            + "LIMIT :limit")
    List<DeviceTypeRow> list(@Bind("tenant") String tenant, @Bind("offset") int offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM device_types WHERE tenant = :tenant")
    long count(@Bind("tenant") String tenant);

    @SqlUpdate("DELETE FROM device_types WHERE tenant = :tenant AND name = :name")
    int delete(@Bind("tenant") String tenant, @Bind("name") String name);
}
