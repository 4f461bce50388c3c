package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users and their roles. */
@RegisterConstructorMapper(UserRow.class)
public interface UserDao {

    String SELECT = "SELECT u.username, u.tenant, u.password_hash, u.created_at, u.updated_at, "
            + "ARRAY(SELECT role FROM user_roles r WHERE r.username = u.username ORDER BY role) AS roles FROM users u ";

    @SqlUpdate("INSERT INTO users (username, tenant, password_hash) VALUES (:username, :tenant, :hash) "
            + "ON CONFLICT DO NOTHING")
    int insert(@Bind("username") String username, @Bind("tenant") String tenant, @Bind("hash") String passwordHash);

    @SqlBatch("INSERT INTO user_roles (tenant, username, role) VALUES (:tenant, :username, :role)")
    void addRoles(@Bind("tenant") String tenant, @Bind("username") String username, @Bind("role") List<String> roles);

    @SqlUpdate("DELETE FROM user_roles WHERE username = :username")
    void clearRoles(@Bind("username") String username);

    /** Any tenant: the token endpoint looks users up by name alone. */
    @SqlQuery(SELECT + "WHERE u.username = :username")
    Optional<UserRow> find(@Bind("username") String username);

    @SqlQuery(SELECT + "WHERE u.tenant = :tenant AND u.username = :username")
    Optional<UserRow> find(@Bind("tenant") String tenant, @Bind("username") String username);

    @SqlQuery(SELECT + "WHERE u.tenant = :tenant ORDER BY u.username")
    List<UserRow> list(@Bind("tenant") String tenant);

    @SqlUpdate("UPDATE users SET password_hash = :hash, updated_at = now() WHERE username = :username")
    int updatePassword(@Bind("username") String username, @Bind("hash") String passwordHash);

    @SqlUpdate("DELETE FROM users WHERE tenant = :tenant AND username = :username")
    int delete(@Bind("tenant") String tenant, @Bind("username") String username);
}
