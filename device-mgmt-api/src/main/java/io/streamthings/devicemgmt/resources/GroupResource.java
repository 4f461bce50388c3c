package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.GroupRoles;
import io.streamthings.devicemgmt.api.GroupSpec;
import io.streamthings.devicemgmt.api.GroupView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.GroupService;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/** Device groups, membership and sharing with roles. */
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "groups", description = "Device groups and sharing")
public class GroupResource {

    private final GroupService groups;

    public GroupResource(GroupService groups) {
        this.groups = groups;
    }

    /** Creates a group owned by the caller. */
    @POST
    @RequiresScope(Scopes.GROUP_MANAGE)
    @Operation(summary = "Create a group", description = "Scope: group:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.GROUP_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "created",
                        content = @Content(schema = @Schema(implementation = GroupView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid GroupSpec spec) {
        GroupView created = groups.create(caller, spec);
        return Response.created(UriBuilder.fromResource(GroupResource.class).path(created.id()).build())
                .entity(created).build();
    }

    /** Lists the groups the caller may see. */
    @GET
    @RequiresScope(Scopes.DEVICE_VIEW)
    @Operation(summary = "List groups", description = "Scope: device:view. Groups the caller owns, shared with its "
            + "roles, or all of the tenant for an admin.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of groups"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<GroupView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return groups.list(caller, paging.offset(), paging.limit());
    }

    /** One group. */
    @GET
    @Path("/{id}")
    @RequiresScope(Scopes.DEVICE_VIEW)
    @Operation(summary = "Get a group", description = "Scope: device:view.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the group",
                        content = @Content(schema = @Schema(implementation = GroupView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public GroupView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return groups.get(caller, id);
    }

    /** Renames or re-describes a group. */
    @PUT
    @Path("/{id}")
    @RequiresScope(Scopes.GROUP_MANAGE)
    @Operation(summary = "Change a group", description = "Scope: group:manage. The id cannot change.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.GROUP_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the group",
                        content = @Content(schema = @Schema(implementation = GroupView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public GroupView update(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @NotNull @Valid GroupSpec spec) {
        return groups.update(caller, id, spec);
    }

    /** Deletes a group; its devices stay. */
    @DELETE
    @Path("/{id}")
    @RequiresScope(Scopes.GROUP_MANAGE)
    @Operation(summary = "Delete a group", description = "Scope: group:manage. The devices are not deleted.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.GROUP_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        groups.delete(caller, id);
        return Response.noContent().build();
    }

    /** Adds a device to a group. */
    @POST
    @Path("/{id}/devices/{deviceId}")
    @RequiresScope(Scopes.GROUP_MANAGE)
    @Operation(summary = "Add a device to a group", description = "Scope: group:manage. The caller must be able to "
            + "act on the device (else 404).",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.GROUP_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the group",
                        content = @Content(schema = @Schema(implementation = GroupView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public GroupView addDevice(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @PathParam("deviceId") String deviceId) {
        return groups.addDevice(caller, id, deviceId);
    }

    /** Removes a device from a group. */
    @DELETE
    @Path("/{id}/devices/{deviceId}")
    @RequiresScope(Scopes.GROUP_MANAGE)
    @Operation(summary = "Remove a device from a group", description = "Scope: group:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.GROUP_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "removed"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response removeDevice(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @PathParam("deviceId") String deviceId) {
        groups.removeDevice(caller, id, deviceId);
        return Response.noContent().build();
    }

    /** Shares a group with exactly these roles. */
    @PUT
    @Path("/{id}/roles")
    @RequiresScope(Scopes.GROUP_MANAGE)
    @Operation(summary = "Share a group with roles", description = "Scope: group:manage. Holders of these roles may "
            + "then act on the group's devices. Replaces the previous list; 422 for an unknown role.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.GROUP_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the group",
                        content = @Content(schema = @Schema(implementation = GroupView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public GroupView share(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @NotNull @Valid GroupRoles roles) {
        return groups.shareWith(caller, id, roles);
    }
}
