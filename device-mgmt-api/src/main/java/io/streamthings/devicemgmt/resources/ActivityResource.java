package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.ActivityView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.ActivityService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The audit log. */
@Path("/api/v1/activities")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "activities", description = "The audit log: who did what, when")
public class ActivityResource {

    private final ActivityService activities;

    public ActivityResource(ActivityService activities) {
        this.activities = activities;
    }

    /** Audit log entries of the caller's tenant, newest first. */
    @GET
    @RequiresScope(Scopes.ACTIVITY_VIEW)
    @Operation(summary = "Read the audit log", description = "Scope: activity:view. from/to take epoch ms, ISO-8601, "
            + "now, or relative such as -1h; from defaults to 24 hours ago.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ACTIVITY_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page of entries"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<ActivityView> find(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "start, inclusive") @QueryParam("from") String from,
            @Parameter(description = "end, exclusive; default now") @QueryParam("to") String to,
            @Parameter(description = "only this user or client") @QueryParam("actor") String actor,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return activities.find(caller, from, to, actor, paging.offset(), paging.limit());
    }
}
