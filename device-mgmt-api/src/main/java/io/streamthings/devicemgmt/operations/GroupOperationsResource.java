package io.streamthings.devicemgmt.operations;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** A rollout to every device of a group. */
@Path("/api/v1/groups/{groupId}/operations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public class GroupOperationsResource {

    private final OperationService operations;

    public GroupOperationsResource(OperationService operations) {
        this.operations = operations;
    }

    /** Sends an operation to every device of a group, as a rollout. */
    @POST
    @RequiresScope(Scopes.OPERATION_MANAGE)
    @Operation(summary = "Send an operation to a group", description = "Scope: operation:manage. A rollout: with "
            + "`rollout.batchSize` at most that many unfinished at once, with `rollout.ratePerMinute` at most that "
            + "many released per minute, with `rollout.abortThresholdPercent` stopped (the rest CANCELLED) once more "
            + "than that share of the finished ones failed. Follow it with GET /operations/{id}.",
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
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @PathParam("groupId") String groupId,
            @NotNull @Valid OperationSpec spec) {
        if (spec.devices() != null) {
            throw io.streamthings.devicemgmt.errors.ApiException.badRequest("devices belongs to POST /operations");
        }
        RolloutView created = operations.createForGroup(caller, groupId, spec);
        return Response.created(URI.create("/api/v1/operations/" + created.id())).entity(created).build();
    }
}
