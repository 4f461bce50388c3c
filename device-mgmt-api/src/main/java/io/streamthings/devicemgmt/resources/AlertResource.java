package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.AlertView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.AlertService;
import io.streamthings.devicemgmt.errors.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Alerts from rules, jobs and edge devices: one per rule and device until cleared. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts", description = "Alerts: list, acknowledge, clear")
public class AlertResource {

    private final AlertService alerts;

    public AlertResource(AlertService alerts) {
        this.alerts = alerts;
    }

    /** The alerts the caller may see, newest first. */
    @GET
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "List alerts", description = "Scope: analytics:view. Only alerts of devices the caller may "
            + "act on; alerts about no single device only for the tenant's admins.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of alerts"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<AlertView> list(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "only this device's alerts") @QueryParam("deviceId") String deviceId,
            @Parameter(description = "info, warning, major or critical") @QueryParam("severity") String severity,
            @Parameter(description = "OPEN, ACKNOWLEDGED or CLEARED") @QueryParam("status") String status,
            @Parameter(description = "only this rule's alerts") @QueryParam("rule") String rule,
            @Parameter(description = "alerts active at or after: epoch ms, ISO-8601 or relative (-1h)")
                    @QueryParam("from") String from,
            @Parameter(description = "alerts active at or before: epoch ms, ISO-8601, relative or now")
                    @QueryParam("to") String to,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return alerts.search(caller, deviceId, severity, status, rule, from, to, paging.offset(), paging.limit());
    }

    /** One alert. */
    @GET
    @Path("/{id}")
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Get an alert", description = "Scope: analytics:view.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the alert",
                        content = @Content(schema = @Schema(implementation = AlertView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public AlertView get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return alerts.find(caller, parseId(id));
    }

    /** Acknowledges an open alert: someone is on it; further firings still update it. */
    @POST
    @Path("/{id}/acknowledge")
    @RequiresScope(Scopes.ALERT_MANAGE)
    @Operation(summary = "Acknowledge an alert", description = "Scope: alert:manage. 409 when it is cleared.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ALERT_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the alert, ACKNOWLEDGED",
                        content = @Content(schema = @Schema(implementation = AlertView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public AlertView acknowledge(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return alerts.acknowledge(caller, parseId(id));
    }

    /** Clears an alert: the next firing opens a new one. */
    @POST
    @Path("/{id}/clear")
    @RequiresScope(Scopes.ALERT_MANAGE)
    @Operation(summary = "Clear an alert", description = "Scope: alert:manage. The next firing of the rule on the "
            + "device opens a new alert.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ALERT_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the alert, CLEARED",
                        content = @Content(schema = @Schema(implementation = AlertView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public AlertView clear(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return alerts.clear(caller, parseId(id));
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("alert " + id + " not found");
        }
    }
}
