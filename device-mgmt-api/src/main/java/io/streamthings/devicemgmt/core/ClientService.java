package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.api.ClientSpec;
import io.streamthings.devicemgmt.api.ClientView;
import io.streamthings.devicemgmt.auth.AccessTokens;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.PasswordHasher;
import io.streamthings.devicemgmt.auth.TokenService;
import io.streamthings.devicemgmt.db.ClientDao;
import io.streamthings.devicemgmt.db.ClientRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** OAuth2 clients (applications) of a tenant, for the client_credentials grant. */
public class ClientService {

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final ActivityLog activities;

    public ClientService(Jdbi jdbi, PasswordHasher hasher, TokenService tokens, ActivityLog activities) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.tokens = tokens;
        this.activities = activities;
    }

    /** Registers a client; the answer carries its secret, shown only this once. */
    public ClientView create(Caller caller, ClientSpec spec) {
        String clientId = spec.clientId() != null ? spec.clientId() : UUID.randomUUID().toString();
        String secret = AccessTokens.newSecret();
        String hash = hasher.hash(secret);
        List<String> roles = List.copyOf(new LinkedHashSet<>(spec.roles()));
        ClientRow row = jdbi.inTransaction(h -> {
            UserService.requireRoles(h, caller.tenant(), roles);
            Grants.requireHoldsRoles(h, caller, roles, "creating a client with these roles");
            ClientDao dao = h.attach(ClientDao.class);
            if (dao.insert(clientId, caller.tenant(), hash, roles.toArray(String[]::new), caller.name()) == 0) {
                throw ApiException.conflict("client " + clientId + " already exists");
            }
            activities.record(h, caller, "client.create", "client", clientId, Map.of("roles", roles));
            return dao.find(clientId).orElseThrow();
        });
        return new ClientView(row.clientId(), secret, List.of(row.roles()), row.createdBy(), row.createdAt());
    }

    public List<ClientView> list(Caller caller) {
        return jdbi.onDemand(ClientDao.class).list(caller.tenant()).stream()
                .map(r -> new ClientView(r.clientId(), null, List.of(r.roles()), r.createdBy(), r.createdAt()))
                .toList();
    }

    public void delete(Caller caller, String clientId) {
        jdbi.useTransaction(h -> {
            ClientDao dao = h.attach(ClientDao.class);
            ClientRow client = dao.find(clientId).filter(c -> c.tenant().equals(caller.tenant()))
                    .orElseThrow(() -> ApiException.notFound("client " + clientId + " not found"));
            Grants.requireHoldsRoles(h, caller, List.of(client.roles()), "deleting client " + clientId);
            if (dao.delete(caller.tenant(), clientId) == 0) {
                throw ApiException.notFound("client " + clientId + " not found");
            }
            activities.record(h, caller, "client.delete", "client", clientId, Map.of());
        });
        tokens.revokeAllOf(caller.tenant(), clientId);
    }
}
