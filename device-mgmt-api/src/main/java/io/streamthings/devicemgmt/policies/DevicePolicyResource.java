package io.streamthings.devicemgmt.policies;

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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The device side of policies, authenticated by the device token (not an access token, so no bearer-token rule of
 * {@code ScopeFeature} applies: each method checks the device itself).
 */
@Path("/api/v1/device/policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "device side", description = "Calls devices make with their device token")
public class DevicePolicyResource {

    private final PolicyService policies;
    private final DeviceIdentity devices;

    public DevicePolicyResource(PolicyService policies, DeviceIdentity devices) {
        this.policies = policies;
        this.devices = devices;
    }

    /** The calling device's effective policy, for devices that pull rather than hold a connection. */
    @GET
    @PublicEndpoint
    @Operation(summary = "The device's own effective policy", description = "Scope: none; device token "
            + "(Bearer <deviceId>@<tenant>:<token>).",
            security = @SecurityRequirement(name = "deviceToken"),
            responses = {
                @ApiResponse(responseCode = "200", description = "the effective policy",
                        content = @Content(schema = @Schema(implementation = EffectivePolicyView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized")
            })
    public EffectivePolicyView get(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        DeviceIdentity.Device device = devices.authenticate(auth);
        return policies.ownEffective(device.tenant(), device.deviceId());
    }

    /** The calling device reports its compliance per feature of its effective policy. */
    @PUT
    @Path("/compliance")
    @PublicEndpoint
    @Operation(summary = "Report compliance", description = "Scope: none; device token "
            + "(Bearer <deviceId>@<tenant>:<token>). Body {\"version\"?, \"features\": {code: \"compliant\" | "
            + "\"non-compliant\" | \"pending\"}}. A non-compliant feature runs its policy's action: ENFORCE pushes "
            + "the effective policy again, WARN raises an alert. 409 for a report on an older version or before any "
            + "push; 422 for a feature not in the effective policy.",
            security = @SecurityRequirement(name = "deviceToken"),
            responses = {
                @ApiResponse(responseCode = "200", description = "the effective policy with the compliance recorded",
                        content = @Content(schema = @Schema(implementation = EffectivePolicyView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "409", ref = "Conflict"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public EffectivePolicyView report(
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @NotNull @Valid ComplianceReport report) {
        DeviceIdentity.Device device = devices.authenticate(auth);
        return policies.report(device.tenant(), device.deviceId(), report);
    }
}
