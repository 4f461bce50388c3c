package io.streamthings.devicemgmt.policies;

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

/** Policies: named sets of feature configurations with a priority, assigned to types, groups, roles or users. */
@Path("/api/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policies", description = "Policies, effective policies and compliance")
public class PolicyResource {

    private static final String RULES = " Features are checked against the device type's feature schemas (422); two "
            + "policies configuring one feature of one device with the same priority are refused (409); a caller who "
            + "is not an admin may change only policies whose devices, before and after, they may all act on (403).";

    private final PolicyService policies;

    public PolicyResource(PolicyService policies) {
        this.policies = policies;
    }

    /** Creates a policy and pushes the effective policy of every device it changes. */
    @POST
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "Create a policy", description = "Scope: policy:manage." + RULES,
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "created",
                        content = @Content(schema = @Schema(implementation = PolicyView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response create(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid PolicySpec spec) {
        PolicyView created = policies.create(caller, spec);
        return Response.created(UriBuilder.fromResource(PolicyResource.class).path(created.id()).build())
                .entity(created).build();
    }

    /** Lists the tenant's policies, optionally of one device type. */
    @GET
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "List policies", description = "Scope: policy:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of policies"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<PolicyView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "only policies of this device type") @QueryParam("deviceType") String type,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return policies.list(caller, type, paging.offset(), paging.limit());
    }

    /** One policy. */
    @GET
    @Path("/{id}")
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "Get a policy", description = "Scope: policy:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the policy",
                        content = @Content(schema = @Schema(implementation = PolicyView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public PolicyView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return policies.get(caller, id);
    }

    /** Replaces a policy (its assignments too) and pushes to every device whose effective policy changed. */
    @PUT
    @Path("/{id}")
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "Replace a policy", description = "Scope: policy:manage. The id cannot change; assigning and "
            + "unassigning is a replace with other assignments." + RULES,
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the policy",
                        content = @Content(schema = @Schema(implementation = PolicyView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public PolicyView replace(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @NotNull @Valid PolicySpec spec) {
        return policies.replace(caller, id, spec);
    }

    /** Deletes a policy; its devices get their effective policy without it. */
    @DELETE
    @Path("/{id}")
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "Delete a policy", description = "Scope: policy:manage. The devices it reached are pushed "
            + "their effective policy without it.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        policies.delete(caller, id);
        return Response.noContent().build();
    }

    /** How the devices taking features from a policy comply with it. */
    @GET
    @Path("/{id}/compliance")
    @RequiresScope(Scopes.POLICY_MANAGE)
    @Operation(summary = "Compliance with a policy", description = "Scope: policy:manage. Counts of the devices "
            + "(that the caller may act on) taking at least one feature from the policy, by compliance, and the "
            + "non-compliant ones with their failing features.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.POLICY_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the summary",
                        content = @Content(schema = @Schema(implementation = ComplianceSummary.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public ComplianceSummary compliance(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return policies.compliance(caller, id);
    }
}
