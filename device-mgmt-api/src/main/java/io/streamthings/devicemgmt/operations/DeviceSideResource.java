package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamthings.devicemgmt.auth.PublicEndpoint;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The device side over HTTP, for devices that cannot hold an MQTT connection: pull pending operations, report status.
 * Authenticated with the device token, not a user's bearer token (so {@link PublicEndpoint} to the scope filter; the
 * check is here).
 */
@Path("/api/v1/device/operations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "device side", description = "What a device calls with its own token")
public class DeviceSideResource {

    private final OperationService operations;
    private final DeviceTokenAuth auth;

    public DeviceSideResource(OperationService operations, org.jdbi.v3.core.Jdbi jdbi) {
        this.operations = operations;
        this.auth = new DeviceTokenAuth(jdbi);
    }

    /** Pulls the calling device's pending operations; each is DELIVERED by this answer. */
    @GET
    @Path("pending")
    @PublicEndpoint
    @Operation(summary = "Pull pending operations (device)", description = "Device token: `Authorization: Bearer "
            + "<deviceId>@<tenant>:<token>`. Answers the device's undelivered operations, oldest first, as "
            + "[{operationId, kind, code, params, idempotencyKey, oneWay, timeoutSeconds, expiresAt}], and marks each "
            + "DELIVERED (one-way ones COMPLETED): a second pull does not answer them again. A device that sees an "
            + "idempotency key twice must run it once.",
            security = @SecurityRequirement(name = "deviceToken"),
            responses = {
                @ApiResponse(responseCode = "200", description = "the operations, possibly none"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized")
            })
    public List<JsonNode> pending(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authz) {
        DeviceTokenAuth.Device device = auth.authenticate(authz);
        return operations.pull(device.tenant(), device.deviceId());
    }

    /** Reports the status of one of the calling device's operations. */
    @PUT
    @Path("{operationId}")
    @PublicEndpoint
    @Operation(summary = "Report an operation's status (device)", description = "Device token. Body {\"status\": "
            + "IN_PROGRESS|COMPLETED|ERROR|REJECTED|DELIVERED, \"response\": any JSON}. 404 when the operation is not "
            + "the device's own; 409 when the report would move it backwards or out of a final state; the same report "
            + "twice changes nothing and answers 200.",
            security = @SecurityRequirement(name = "deviceToken"),
            responses = {
                @ApiResponse(responseCode = "200", description = "the operation after the report",
                        content = @Content(schema = @Schema(implementation = OperationView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public OperationView report(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authz,
            @PathParam("operationId") String operationId, @NotNull @Valid StatusReport report) {
        DeviceTokenAuth.Device device = auth.authenticate(authz);
        return operations.reportFromDevice(device.tenant(), device.deviceId(), operationId, report);
    }
}
