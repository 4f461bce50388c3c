package io.streamthings.devicemgmt.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Access tokens, by hash. */
@RegisterConstructorMapper(TokenRow.class)
public interface TokenDao {

    @SqlUpdate("INSERT INTO access_tokens (token_hash, tenant, subject, subject_kind, roles, scopes, expires_at) "
            + "VALUES (:hash, :tenant, :subject, :kind, :roles, :scopes, :expiresAt)")
    void insert(@Bind("hash") byte[] hash, @Bind("tenant") String tenant, @Bind("subject") String subject,
            @Bind("kind") String kind, @Bind("roles") String[] roles, @Bind("scopes") String[] scopes,
            @Bind("expiresAt") Instant expiresAt);

    @SqlQuery("SELECT * FROM access_tokens WHERE token_hash = :hash")
    Optional<TokenRow> find(@Bind("hash") byte[] hash);

    @SqlUpdate("UPDATE access_tokens SET revoked = TRUE WHERE token_hash = :hash")
    int revoke(@Bind("hash") byte[] hash);

    @SqlUpdate("UPDATE access_tokens SET revoked = TRUE WHERE tenant = :tenant AND subject = :subject")
    int revokeAllOf(@Bind("tenant") String tenant, @Bind("subject") String subject);

    @SqlUpdate("DELETE FROM access_tokens WHERE expires_at < :before")
    int deleteExpired(@Bind("before") Instant before);
}
