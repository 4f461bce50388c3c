package io.streamthings.devicemgmt.policies;

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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A device's effective policy (Jersey merges this class with the other resources under the same path). */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policies", description = "Policies, effective policies and compliance")
public class EffectivePolicyResource {

    private final PolicyService policies;

    public EffectivePolicyResource(PolicyService policies) {
        this.policies = policies;
    }

    /** The effective policy last pushed to a device, with its compliance per feature. */
    @GET
    @Path("/{id}/effective-policy")
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "A device's effective policy", description = "Scope: policy:manage. Per feature: the params, "
            + "the policy they come from (highest priority wins) and the device's compliance. 404 for a device the "
            + "caller may not act on.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the effective policy",
                        content = @Content(schema = @Schema(implementation = EffectivePolicyView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public EffectivePolicyView effective(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return policies.effective(caller, id);
    }
}
