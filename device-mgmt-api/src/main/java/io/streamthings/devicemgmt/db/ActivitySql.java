package io.streamthings.devicemgmt.db;

import org.jdbi.v3.core.Handle;

/** {@link ActivityDao#insert} in plain JDBC ({@link Jdbc}): every change writes one audit row. */
public final class ActivitySql {

    private static final String INSERT = "INSERT INTO activities (tenant, actor, action, target_type, target_id, "
            + "details) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))";

    private ActivitySql() {}

    public static void insert(Handle h, String tenant, String actor, String action, String targetType,
            String targetId, String detailsJson) {
        Jdbc.update(h, INSERT, s -> {
            s.setString(1, tenant);
            s.setString(2, actor);
            s.setString(3, action);
            s.setString(4, targetType);
            s.setString(5, targetId);
            s.setString(6, detailsJson);
        });
    }
}
