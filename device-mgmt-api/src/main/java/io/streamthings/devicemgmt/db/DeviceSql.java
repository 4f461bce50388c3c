package io.streamthings.devicemgmt.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The device statements of the hot paths (one device read with its per-device check, searches, enrollment) in plain
 * JDBC ({@link Jdbc}); the same SQL as {@link DeviceDao}'s, which the rarer calls keep using.
 */
public final class DeviceSql {

    /** The per-device rule of {@link DeviceDao#VISIBLE}; parameters: admin, caller, roles. */
    private static final String VISIBLE = "(? OR d.owner = ? OR EXISTS (SELECT 1 FROM group_devices gd "
            + "JOIN group_roles gr ON gr.tenant = gd.tenant AND gr.group_id = gd.group_id "
            + "WHERE gd.tenant = d.tenant AND gd.device_id = d.id AND gr.role = ANY(?))) ";

    private static final String FIND_VISIBLE = "SELECT " + DeviceDao.COLUMNS
            + "FROM devices d WHERE d.tenant = ? AND d.id = ? AND " + VISIBLE;

    /** Parameters: tenant, admin, caller, roles, then type, status, group, qLike, online, each twice. */
    private static final String FILTERS = "WHERE d.tenant = ? AND " + VISIBLE
            + "AND (CAST(? AS varchar) IS NULL OR d.type = ?) "
            + "AND (CAST(? AS varchar) IS NULL OR d.status = ?) "
            + "AND (CAST(? AS varchar) IS NULL OR EXISTS (SELECT 1 FROM group_devices gf "
            + "WHERE gf.tenant = d.tenant AND gf.device_id = d.id AND gf.group_id = ?)) "
            + "AND (CAST(? AS varchar) IS NULL OR d.id ILIKE ? ESCAPE '!' OR d.name ILIKE ? ESCAPE '!') "
            + "AND (CAST(? AS boolean) IS NULL OR d.online = ?) ";

    private static final String SEARCH = "SELECT " + DeviceDao.COLUMNS + "FROM devices d " + FILTERS
            + "ORDER BY d.id OFFSET ? LIMIT ?";

    private static final String COUNT = "SELECT count(*) FROM devices d " + FILTERS;

    private static final String INSERT = "INSERT INTO devices (tenant, id, name, type, owner, status, properties, "
            + "token_salt, token_hash) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?) ON CONFLICT DO NOTHING "
            + "RETURNING created_at";

    private static final String TYPE_PROPERTIES = "SELECT properties::text FROM device_types "
            + "WHERE tenant = ? AND name = ?";

    private DeviceSql() {}

    /** Who asks, as the per-device rule needs it. */
    public record Viewer(String tenant, String name, String[] roles, boolean admin) {}

    /** A device search's filters; a null filter matches everything. */
    public record Filter(String type, String status, String group, String qLike, Boolean online) {}

    /** The device if it exists and the viewer may act on it: one query, the check in it. */
    public static Optional<DeviceRow> findVisible(Connection c, Viewer viewer, String id) {
        return Jdbc.one(c, FIND_VISIBLE, s -> {
            s.setString(1, viewer.tenant());
            s.setString(2, id);
            bindViewer(s, 3, viewer);
        }, DeviceSql::row);
    }

    /** One page of the devices the viewer may act on, ordered by id. */
    public static List<DeviceRow> search(Handle h, Viewer viewer, Filter filter, int offset, int limit) {
        return Jdbc.list(h, SEARCH, s -> {
            int next = bindFilters(s, viewer, filter);
            s.setInt(next, offset);
            s.setInt(next + 1, limit);
        }, DeviceSql::row);
    }

    /** How many devices the viewer may act on match the filter. */
    public static long count(Handle h, Viewer viewer, Filter filter) {
        return Jdbc.one(h, COUNT, s -> bindFilters(s, viewer, filter), r -> r.getLong(1)).orElse(0L);
    }

    /** Inserts the device and answers its creation time; empty when the id is taken. */
    public static Optional<Instant> insert(Handle h, NewDeviceRow row) {
        return Jdbc.one(h, INSERT, s -> {
            s.setString(1, row.tenant());
            s.setString(2, row.id());
            s.setString(3, row.name());
            s.setString(4, row.type());
            s.setString(5, row.owner());
            s.setString(6, row.status());
            s.setString(7, row.properties());
            s.setBytes(8, row.tokenSalt());
            s.setBytes(9, row.tokenHash());
        }, r -> Jdbc.instant(r, "created_at"));
    }

    /** The JSON text of a device type's property specs; empty when the tenant has no such type. */
    public static Optional<String> typeProperties(Handle h, String tenant, String type) {
        return Jdbc.one(h, TYPE_PROPERTIES, s -> {
            s.setString(1, tenant);
            s.setString(2, type);
        }, r -> r.getString(1));
    }

    private static int bindViewer(PreparedStatement s, int from, Viewer viewer) throws SQLException {
        s.setBoolean(from, viewer.admin());
        s.setString(from + 1, viewer.name());
        s.setArray(from + 2, Jdbc.textArray(s, viewer.roles()));
        return from + 3;
    }

    private static int bindFilters(PreparedStatement s, Viewer viewer, Filter f) throws SQLException {
        s.setString(1, viewer.tenant());
        int i = bindViewer(s, 2, viewer);
        for (String value : new String[] {f.type(), f.status(), f.group()}) {
            s.setString(i++, value);
            s.setString(i++, value);
        }
        s.setString(i++, f.qLike());
        s.setString(i++, f.qLike());
        s.setString(i++, f.qLike());
        if (f.online() == null) {
            s.setNull(i++, Types.BOOLEAN);
            s.setNull(i++, Types.BOOLEAN);
        } else {
            s.setBoolean(i++, f.online());
            s.setBoolean(i++, f.online());
        }
        return i;
    }

    private static DeviceRow row(ResultSet r) throws SQLException {
        return new DeviceRow(r.getString("tenant"), r.getString("id"), r.getString("name"), r.getString("type"),
                r.getString("owner"), r.getString("status"), r.getString("properties"), r.getBytes("token_salt"),
                r.getBytes("token_hash"), Jdbc.instant(r, "last_seen"), r.getBoolean("online"),
                Jdbc.instant(r, "created_at"), Jdbc.instant(r, "updated_at"), Jdbc.strings(r, "groups"));
    }
}
