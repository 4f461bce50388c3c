package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.api.RuleDryRunRequest;
import io.streamthings.devicemgmt.api.RuleErrorResponse;
import io.streamthings.devicemgmt.api.RuleValidation;
import io.streamthings.devicemgmt.api.RuleView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.RuleService;
import io.streamthings.devicemgmt.errors.ApiException;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/** Server-side rule apps (Siddhi): validate, dry-run, deploy, list, remove. */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rules", description = "Complex-event rules: Siddhi apps run by the rules service on live telemetry")
public class RuleResource {

    private static final String RULE_ERROR = "the app was refused; message, line and column say where and why";

    private final RuleService rules;

    public RuleResource(RuleService rules) {
        this.rules = rules;
    }

    /** Compiles an app without deploying it. */
    @POST
    @Path("/validate")
    @Consumes(MediaType.TEXT_PLAIN)
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Validate a rule app", description = "Scope: rule:manage. The body is the Siddhi app. "
            + "Compiles it and checks the platform's rule policy; a refusal names the line and column.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.TEXT_PLAIN,
                    schema = @Schema(type = "string"))),
            responses = {
                @ApiResponse(responseCode = "200", description = "the app compiles",
                        content = @Content(schema = @Schema(implementation = RuleValidation.class))),
                @ApiResponse(responseCode = "400", description = RULE_ERROR,
                        content = @Content(schema = @Schema(implementation = RuleErrorResponse.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public RuleValidation validate(@Parameter(hidden = true) @Auth Caller caller, String app) {
        return rules.validate(app);
    }

    /** Compiles an app and runs sample events through it in a sandbox (a dry run). */
    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Dry-run a rule app", description = "Scope: rule:manage. Compiles the app and runs the "
            + "sample events through it in a sandbox, in event time (the events' ts): answers what it would emit.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the app compiles; dryRun holds what it emitted",
                        content = @Content(schema = @Schema(implementation = RuleValidation.class))),
                @ApiResponse(responseCode = "400", description = RULE_ERROR,
                        content = @Content(schema = @Schema(implementation = RuleErrorResponse.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public RuleValidation dryRun(@Parameter(hidden = true) @Auth Caller caller,
            @NotNull @Valid RuleDryRunRequest request) {
        return rules.dryRun(caller, request);
    }

    /** Deploys an app, or a new version of the app of the same name, at runtime. */
    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Deploy a rule app", description = "Scope: rule:manage. The body is the Siddhi app; its "
            + "@App:name is the rule's name. A new version of a running rule replaces it without a restart and "
            + "without dropping events.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.TEXT_PLAIN,
                    schema = @Schema(type = "string"))),
            responses = {
                @ApiResponse(responseCode = "201", description = "deployed, version 1",
                        content = @Content(schema = @Schema(implementation = RuleView.class))),
                @ApiResponse(responseCode = "200", description = "a new version replaced the running one",
                        content = @Content(schema = @Schema(implementation = RuleView.class))),
                @ApiResponse(responseCode = "400", description = RULE_ERROR,
                        content = @Content(schema = @Schema(implementation = RuleErrorResponse.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response deploy(@Parameter(hidden = true) @Auth Caller caller, String app) {
        RuleService.Deployed deployed = rules.deploy(caller, app);
        if (deployed.created()) {
            return Response.created(UriBuilder.fromResource(RuleResource.class).path(deployed.rule().name()).build())
                    .entity(deployed.rule()).build();
        }
        return Response.ok(deployed.rule()).build();
    }

    /** The tenant's rules with their counters. */
    @GET
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "List rules", description = "Scope: rule:manage.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of rules"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<RuleView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return rules.list(caller, paging.offset(), paging.limit());
    }

    /** One rule: its app, version and counters (events in and out, errors, last fired). */
    @GET
    @Path("/{name}")
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Get a rule", description = "Scope: rule:manage. stats: events in, events out, errors, "
            + "last fired, summed over the rules-service instances.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the rule",
                        content = @Content(schema = @Schema(implementation = RuleView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public RuleView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        return rules.find(caller, name).orElseThrow(() -> ApiException.notFound("rule " + name + " not found"));
    }

    /** Undeploys and deletes a rule. */
    @DELETE
    @Path("/{name}")
    @RequiresScope(Scopes.RULE_MANAGE)
    @Operation(summary = "Delete a rule", description = "Scope: rule:manage. The rules service stops it at once.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.RULE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("name") String name) {
        rules.delete(caller, name);
        return Response.noContent().build();
    }
}
