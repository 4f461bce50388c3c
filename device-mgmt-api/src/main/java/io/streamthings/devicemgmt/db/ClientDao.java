package io.streamthings.devicemgmt.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** OAuth2 clients. */
@RegisterConstructorMapper(ClientRow.class)
public interface ClientDao {

    @SqlUpdate("INSERT INTO oauth_clients (client_id, tenant, secret_hash, roles, created_by) "
            + "VALUES (:clientId, :tenant, :hash, :roles, :createdBy) ON CONFLICT DO NOTHING")
    int insert(@Bind("clientId") String clientId, @Bind("tenant") String tenant, @Bind("hash") String secretHash,
            @Bind("roles") String[] roles, @Bind("createdBy") String createdBy);

    @SqlQuery("SELECT * FROM oauth_clients WHERE client_id = :clientId")
    Optional<ClientRow> find(@Bind("clientId") String clientId);

    @SqlQuery("SELECT * FROM oauth_clients WHERE tenant = :tenant ORDER BY client_id")
    List<ClientRow> list(@Bind("tenant") String tenant);

    @SqlUpdate("DELETE FROM oauth_clients WHERE tenant = :tenant AND client_id = :clientId")
    int delete(@Bind("tenant") String tenant, @Bind("clientId") String clientId);
}
