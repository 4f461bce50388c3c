package io.streamthings.devicemgmt.edgerules;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.api.RuleErrorResponse;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.errors.ApiException;
import io.streamthings.devicemgmt.resources.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
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
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/** Edge rules: Siddhi apps deployed to edge runtimes on devices, where they run, and the runtimes' health. */
@Path("/api/v1/edge-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "edge-rules", description = "Siddhi rules that run on the device's edge runtime, deployed as EDGE_RULE "
        + "operations")
public class EdgeRuleResource {

    private static final String RULE_ERROR = "the app was refused; message, line and column say where and why";

    private final EdgeRuleService rules;

    public EdgeRuleResource(EdgeRuleService rules) {
        this.rules = rules;
    }

    /** Stores an edge rule (or a new version of it) from the Siddhi app's text. */
    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Store an edge rule (text)", description = "Scope: rule:manage. The body is the Siddhi app; "
            + "its @App:name is the rule's id. It is compiled with the server rules' compiler and policy. A changed "
            + "app of an existing rule is its next version; nothing is deployed until POST .../deployments.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.TEXT_PLAIN,
                    schema = @Schema(type = "string"))),
            responses = {
                @ApiResponse(responseCode = "201", description = "stored, version 1",
                        content = @Content(schema = @Schema(implementation = EdgeRuleView.class))),
                @ApiResponse(responseCode = "200", description = "a new version (or the same app again: unchanged)",
                        content = @Content(schema = @Schema(implementation = EdgeRuleView.class))),
                @ApiResponse(responseCode = "400", description = RULE_ERROR,
                        content = @Content(schema = @Schema(implementation = RuleErrorResponse.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response storeText(@Parameter(hidden = true) @Auth Caller caller, String app) {
        return stored(rules.store(caller, app, null, null));
    }

    /** Stores an edge rule (or a new version of it) from {@code {"app", "name", "description"}}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Store an edge rule (JSON)", description = "Scope: rule:manage. As the text form, with a "
            + "display name and a description.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "stored, version 1",
                        content = @Content(schema = @Schema(implementation = EdgeRuleView.class))),
                @ApiResponse(responseCode = "200", description = "a new version (or the same again: unchanged)",
                        content = @Content(schema = @Schema(implementation = EdgeRuleView.class))),
                @ApiResponse(responseCode = "400", description = RULE_ERROR,
                        content = @Content(schema = @Schema(implementation = RuleErrorResponse.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response storeJson(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid EdgeRuleRequest request) {
        return stored(rules.store(caller, request.app(), request.name(), request.description()));
    }

    /** The tenant's edge rules at their current versions. */
    @GET
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "List edge rules", description = "Scope: rule:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of edge rules"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<EdgeRuleView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return rules.list(caller, paging.offset(), paging.limit());
    }

    /** Each edge runtime's last health report, marked stale when it stopped reporting. */
    @GET
    @Path("/runtimes")
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Edge runtimes' health", description = "Scope: rule:manage. The last report of each edge "
            + "runtime on a device the caller can see (rule versions, events in/out, queue depth and age, dropped "
            + "counts, heap); stale: true when none came for edgeRules.staleAfterIntervals health intervals.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the runtimes, by device id"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public List<RuntimeView> runtimes(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "only this device") @QueryParam("deviceId") String deviceId) {
        return rules.runtimes(caller, deviceId);
    }

    /** One edge rule at its current version. */
    @GET
    @Path("/{ruleId}")
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Get an edge rule", description = "Scope: rule:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the rule",
                        content = @Content(schema = @Schema(implementation = EdgeRuleView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public EdgeRuleView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("ruleId") String ruleId) {
        return rules.find(caller, ruleId).orElseThrow(() -> ApiException.notFound("edge rule " + ruleId
                + " not found"));
    }

    /** Deploys the rule's current version to devices and groups, as EDGE_RULE operations. */
    @POST
    @Path("/{ruleId}/deployments")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Deploy an edge rule", description = "Scope: rule:manage. One EDGE_RULE operation per "
            + "device (the listed ones and every device of the listed groups), which the caller must be able to act "
            + "on. The runtime compiles the app and swaps it in atomically, carrying the old version's state over "
            + "(state: carry, the default) or not (reset); a failure keeps the old version and is reported.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "202", description = "the operations are queued",
                        content = @Content(schema = @Schema(implementation = DeploymentResult.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", description = "no such rule, or a device or group the caller "
                        + "cannot see (nothing is sent)"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response deploy(@Parameter(hidden = true) @Auth Caller caller, @PathParam("ruleId") String ruleId,
            @NotNull @Valid DeploymentRequest request) {
        return Response.accepted(rules.deploy(caller, ruleId, request)).build();
    }

    /** Per device: the version deployed or being deployed, and its state. */
    @GET
    @Path("/{ruleId}/deployments")
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Where an edge rule runs", description = "Scope: rule:manage. Per device the caller can "
            + "see: the latest version sent, its state (IN_PROGRESS, RUNNING, FAILED with the runtime's reason, "
            + "TIMED_OUT, EXPIRED, CANCELLED) read off its operation, so never in progress past the operation's "
            + "deadline, and the version last confirmed running.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the deployments, by device id"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public List<DeploymentView> deployments(@Parameter(hidden = true) @Auth Caller caller,
            @PathParam("ruleId") String ruleId) {
        return rules.deployments(caller, ruleId);
    }

    private static Response stored(EdgeRuleService.Stored stored) {
        if (stored.created()) {
            return Response.created(UriBuilder.fromResource(EdgeRuleResource.class).path(stored.rule().id()).build())
                    .entity(stored.rule()).build();
        }
        return Response.ok(stored.rule()).build();
    }
}
