package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.ClientSpec;
import io.streamthings.devicemgmt.api.ClientView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.ClientService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/** OAuth2 clients (applications) for the client_credentials grant. */
@Path("/api/v1/clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "clients", description = "Applications using the client_credentials grant")
public class ClientResource {

    private final ClientService clients;

    public ClientResource(ClientService clients) {
        this.clients = clients;
    }

    /** Registers a client; the secret is in this answer only. */
    @POST
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Register a client", description = "Scope: user:manage. The client acts with the given roles "
            + "of the caller's tenant; its secret is shown only in this answer.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "registered, with clientSecret",
                        content = @Content(schema = @Schema(implementation = ClientView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid ClientSpec spec) {
        ClientView created = clients.create(caller, spec);
        return Response.created(UriBuilder.fromResource(ClientResource.class).path(created.clientId()).build())
                .entity(created).build();
    }

    /** Lists the tenant's clients, without secrets. */
    @GET
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "List clients", description = "Scope: user:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the clients"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public List<ClientView> list(@Parameter(hidden = true) @Auth Caller caller) {
        return clients.list(caller);
    }

    /** Deletes a client and revokes its tokens. */
    @DELETE
    @Path("/{clientId}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Delete a client", description = "Scope: user:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("clientId") String clientId) {
        clients.delete(caller, clientId);
        return Response.noContent().build();
    }
}
