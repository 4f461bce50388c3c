package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.UserSpec;
import io.streamthings.devicemgmt.api.UserUpdate;
import io.streamthings.devicemgmt.api.UserView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.UserService;
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

/** Users of the caller's tenant. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "users", description = "Users, their roles and tenants")
public class UserResource {

    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    /** Creates a user; naming another tenant needs tenant:manage and creates that tenant. */
    @POST
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Create a user", description = "Scope: user:manage (and tenant:manage for another tenant). "
            + "The password is stored with bcrypt. 422 for an unknown role.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "created",
                        content = @Content(schema = @Schema(implementation = UserView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid UserSpec spec) {
        UserView created = users.create(caller, spec);
        return Response.created(UriBuilder.fromResource(UserResource.class).path(created.username()).build())
                .entity(created).build();
    }

    /** Lists the users of the caller's tenant. */
    @GET
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "List users", description = "Scope: user:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the users"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public List<UserView> list(@Parameter(hidden = true) @Auth Caller caller) {
        return users.list(caller);
    }

    /** One user. */
    @GET
    @Path("/{name}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Get a user", description = "Scope: user:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the user",
                        content = @Content(schema = @Schema(implementation = UserView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public UserView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        return users.get(caller, name);
    }

    /** Changes a user's password or roles; revokes the user's tokens. */
    @PUT
    @Path("/{name}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Change a user", description = "Scope: user:manage. Absent fields stay; the user's tokens "
            + "are revoked so the change applies at once.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the user",
                        content = @Content(schema = @Schema(implementation = UserView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public UserView update(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name,
            @NotNull @Valid UserUpdate update) {
        return users.update(caller, name, update);
    }

    /** Deletes a user and revokes its tokens. */
    @DELETE
    @Path("/{name}")
    @RequiresScope(Scopes.USER_MANAGE)
    @Operation(summary = "Delete a user", description = "Scope: user:manage. 409 for yourself.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.USER_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        users.delete(caller, name);
        return Response.noContent().build();
    }
}
