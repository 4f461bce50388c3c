package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.DeviceTypeSpec;
import io.streamthings.devicemgmt.api.DeviceTypeView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.DeviceTypeService;
import io.streamthings.devicemgmt.errors.ApiException;
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

/** Device types, defined at runtime. */
@Path("/api/v1/device-types")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "device-types", description = "Device types: features, metrics, properties")
public class DeviceTypeResource {

    private final DeviceTypeService types;

    public DeviceTypeResource(DeviceTypeService types) {
        this.types = types;
    }

    /** Creates a device type. */
    @POST
    @RequiresScope(Scopes.DEVICE_TYPE_MANAGE)
    @Operation(summary = "Create a device type", description = "Scope: device-type:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_TYPE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "created",
                        content = @Content(schema = @Schema(implementation = DeviceTypeView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid DeviceTypeSpec spec) {
        DeviceTypeView created = types.create(caller, spec);
        return Response.created(UriBuilder.fromResource(DeviceTypeResource.class).path(created.name()).build())
                .entity(created).build();
    }

    /** Lists the tenant's device types. */
    @GET
    @RequiresScope(Scopes.DEVICE_VIEW)
    @Operation(summary = "List device types", description = "Scope: device:view.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of device types"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<DeviceTypeView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return types.list(caller, paging.offset(), paging.limit());
    }

    /** One device type. */
    @GET
    @Path("/{name}")
    @RequiresScope(Scopes.DEVICE_VIEW)
    @Operation(summary = "Get a device type", description = "Scope: device:view.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the device type",
                        content = @Content(schema = @Schema(implementation = DeviceTypeView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public DeviceTypeView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        return types.find(caller, name).orElseThrow(() -> ApiException.notFound("device type " + name
                + " not found"));
    }

    /** Replaces a device type's definition. */
    @PUT
    @Path("/{name}")
    @RequiresScope(Scopes.DEVICE_TYPE_MANAGE)
    @Operation(summary = "Replace a device type", description = "Scope: device-type:manage. The name cannot change.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_TYPE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the new definition",
                        content = @Content(schema = @Schema(implementation = DeviceTypeView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public DeviceTypeView replace(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name,
            @NotNull @Valid DeviceTypeSpec spec) {
        return types.replace(caller, name, spec);
    }

    /** Deletes a device type that no device uses. */
    @DELETE
    @Path("/{name}")
    @RequiresScope(Scopes.DEVICE_TYPE_MANAGE)
    @Operation(summary = "Delete a device type", description = "Scope: device-type:manage. 409 while devices of "
            + "this type exist.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_TYPE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        types.delete(caller, name);
        return Response.noContent().build();
    }
}
