package io.streamthings.devicemgmt.operations;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.resources.Paging;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Operations of one device: send one, list them. */
@Path("/api/v1/devices/{deviceId}/operations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public class DeviceOperationsResource {

    private final OperationService operations;

    public DeviceOperationsResource(OperationService operations) {
        this.operations = operations;
    }

    /** Sends an operation to one device. */
    @POST
    @RequiresScope(Scopes.OPERATION_MANAGE)
    @Operation(summary = "Send an operation to a device", description = "Scope: operation:manage. For COMMAND and "
            + "CONFIG the code must be a feature of the device's type and the params must match its JSON schema "
            + "(422 otherwise). A newer CONFIG of a feature supersedes an undelivered older one.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "the operation, SENT (or PENDING in a rollout)",
                        content = @Content(schema = @Schema(implementation = OperationView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @PathParam("deviceId") String deviceId,
            @NotNull @Valid OperationSpec spec) {
        if (spec.devices() != null || spec.rollout() != null) {
            throw io.streamthings.devicemgmt.errors.ApiException.badRequest(
                    "devices and rollout belong to POST /operations and POST /groups/{id}/operations");
        }
        OperationView created = operations.createForDevice(caller, deviceId, spec);
        return Response.created(URI.create("/api/v1/operations/" + created.id())).entity(created).build();
    }

    /** Lists a device's operations, newest first. */
    @GET
    @RequiresScope(Scopes.OPERATION_VIEW)
    @Operation(summary = "List a device's operations", description = "Scope: operation:view. Newest first, "
            + "optionally of one status.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of operations"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Page<OperationView> list(@Parameter(hidden = true) @Auth Caller caller,
            @PathParam("deviceId") String deviceId,
            @Parameter(description = "only operations in this state") @QueryParam("status") String status,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging p = Paging.of(offset, limit);
        return operations.ofDevice(caller, deviceId, status, p.offset(), p.limit());
    }
}
