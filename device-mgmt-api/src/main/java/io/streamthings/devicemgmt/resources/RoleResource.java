package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.RoleSpec;
import io.streamthings.devicemgmt.api.RoleUpdate;
import io.streamthings.devicemgmt.api.RoleView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.RoleService;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/** Roles of the caller's tenant and the scopes they grant. */
@Path("/api/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "roles", description = "Roles and scopes")
public class RoleResource {

    private final RoleService roles;

    public RoleResource(RoleService roles) {
        this.roles = roles;
    }

    /** Creates a role granting scopes the caller itself holds. */
    @POST
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Create a role", description = "Scope: user:manage. Only known scopes, and only scopes the "
            + "caller holds.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "created",
                        content = @Content(schema = @Schema(implementation = RoleView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid RoleSpec spec) {
        RoleView created = roles.create(caller, spec);
        return Response.created(UriBuilder.fromResource(RoleResource.class).path(created.name()).build())
                .entity(created).build();
    }

    /** Lists the roles of the caller's tenant. */
    @GET
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "List roles", description = "Scope: user:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the roles"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public List<RoleView> list(@Parameter(hidden = true) @Auth Caller caller) {
        return roles.list(caller);
    }

    /** One role. */
    @GET
    @Path("/{name}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Get a role", description = "Scope: user:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the role",
                        content = @Content(schema = @Schema(implementation = RoleView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public RoleView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        return roles.get(caller, name);
    }

    /** Replaces the scopes of a role. */
    @PUT
    @Path("/{name}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Change a role's scopes", description = "Scope: user:manage. The admin role is fixed (409).",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the role",
                        content = @Content(schema = @Schema(implementation = RoleView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public RoleView update(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name,
            @NotNull @Valid RoleUpdate update) {
        return roles.update(caller, name, update);
    }

    /** Deletes a role; its holders and shared groups lose it. */
    @DELETE
    @Path("/{name}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Delete a role", description = "Scope: user:manage. The admin role is fixed (409).",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        roles.delete(caller, name);
        return Response.noContent().build();
    }
}
