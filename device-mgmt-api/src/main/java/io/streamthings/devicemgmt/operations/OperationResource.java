package io.streamthings.devicemgmt.operations;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.errors.ApiException;
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

/** Operations and rollouts by id: send to a list of devices, follow, list, cancel. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "operations", description = "Operations to devices and group rollouts")
public class OperationResource {

    private final OperationService operations;

    public OperationResource(OperationService operations) {
        this.operations = operations;
    }

    /** Sends an operation to a list of devices as a rollout. */
    @POST
    @RequiresScope(Scopes.OPERATION_MANAGE)
    @Operation(summary = "Send an operation to a list of devices", description = "Scope: operation:manage. "
            + "Body: an OperationSpec with `devices`; every device must be one the caller may act on (404 otherwise). "
            + "Answers the rollout with its counts per state.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "the rollout",
                        content = @Content(schema = @Schema(implementation = RolloutView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid OperationSpec spec) {
        RolloutView created = operations.createForDevices(caller, spec.devices(), spec);
        return Response.created(URI.create("/api/v1/operations/" + created.id())).entity(created).build();
    }

    /** Lists the caller's rollouts (all of the tenant's for an admin). */
    @GET
    @RequiresScope(Scopes.OPERATION_VIEW)
    @Operation(summary = "List rollouts", description = "Scope: operation:view. Newest first, with counts per state.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of rollouts"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<RolloutView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging p = Paging.of(offset, limit);
        return operations.rollouts(caller, p.offset(), p.limit());
    }

    /** One operation (with its history) or one rollout (with progress and counts per state). */
    @GET
    @Path("{id}")
    @RequiresScope(Scopes.OPERATION_VIEW)
    @Operation(summary = "Get an operation or a rollout", description = "Scope: operation:view. An operation id "
            + "(op-…) answers the operation with every change of state; a rollout id (ro-…) answers its status, "
            + "progress, failed share and counts per state.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the operation or the rollout",
                        content = @Content(schema = @Schema(oneOf = {OperationView.class, RolloutView.class}))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Object get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return operations.find(caller, id).orElseThrow(() -> ApiException.notFound("operation " + id + " not found"));
    }

    /** The operations of a rollout. */
    @GET
    @Path("{id}/operations")
    @RequiresScope(Scopes.OPERATION_VIEW)
    @Operation(summary = "List a rollout's operations", description = "Scope: operation:view. In creation order, "
            + "optionally of one status.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of operations"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Page<OperationView> members(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @Parameter(description = "only operations in this state") @QueryParam("status") String status,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging p = Paging.of(offset, limit);
        return operations.ofRollout(caller, id, status, p.offset(), p.limit());
    }

    /** Cancels an undelivered operation, or every undelivered operation of a rollout. */
    @POST
    @Path("{id}/cancel")
    @RequiresScope(Scopes.OPERATION_MANAGE)
    @Operation(summary = "Cancel an operation or the rest of a rollout", description = "Scope: operation:manage. "
            + "Operations not yet delivered become CANCELLED; what a device already has runs to its end. A rollout "
            + "becomes CANCELLED. 409 when there is nothing to cancel.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.OPERATION_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the operation or the rollout after the cancel"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public Object cancel(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return operations.cancel(caller, id);
    }
}
