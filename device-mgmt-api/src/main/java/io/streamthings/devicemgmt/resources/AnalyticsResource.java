package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.analytics.AnalyticsService;
import io.streamthings.devicemgmt.analytics.IngestRate;
import io.streamthings.devicemgmt.api.AvailabilityView;
import io.streamthings.devicemgmt.api.IngestRateView;
import io.streamthings.devicemgmt.api.LatestView;
import io.streamthings.devicemgmt.api.SeriesView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.errors.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The interactive analytics: series and latest values of a device, from InfluxDB. */
@Path("/api/v1/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analytics", description = "Telemetry series, latest values, predictions and the live stream")
public class AnalyticsResource {

    private final AnalyticsService analytics;
    private final IngestRate ingestRate;

    /** Answers through {@code analytics}, and ingest rates from {@code ingestRate}. */
    public AnalyticsResource(AnalyticsService analytics, IngestRate ingestRate) {
        this.analytics = analytics;
        this.ingestRate = ingestRate;
    }

    /** One metric of one device over a range, at most maxPoints points. */
    @GET
    @Path("/telemetry")
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Telemetry series", description = "Scope: analytics:view. Only devices the caller may act "
            + "on. Without interval: raw readings for ranges up to 1h (as stored when they fit in maxPoints), "
            + "1-minute windows up to 7d, hourly buckets up to 90d, daily beyond; buckets grow so that the answer "
            + "never holds more than maxPoints points. interval=raw (or below 1m) covers at most 1d.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the series",
                        content = @Content(schema = @Schema(implementation = SeriesView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "503", description = "InfluxDB is unavailable; see Retry-After")
            })
    public SeriesView telemetry(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "the device, required") @QueryParam("deviceId") String deviceId,
            @Parameter(description = "the metric, required") @QueryParam("metric") String metric,
            @Parameter(description = "start, inclusive: epoch ms, ISO-8601 or relative (-1h); default -1h")
                    @QueryParam("from") String from,
            @Parameter(description = "end, inclusive: epoch ms, ISO-8601, relative or now; default now")
                    @QueryParam("to") String to,
            @Parameter(description = "raw, or the smallest bucket wanted (10s, 1m, 1h, 1d); default: from the range")
                    @QueryParam("interval") String interval,
            @Parameter(description = "mean, min, max, last, count or sum; default mean") @QueryParam("agg") String agg,
            @Parameter(description = "most points answered, 1-10000, default 1000")
                    @QueryParam("maxPoints") String maxPoints) {
        return analytics.series(caller, deviceId, metric, from, to, interval, agg, maxPoints);
    }

    /** The latest reading of each metric of a device. */
    @GET
    @Path("/latest")
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Latest values", description = "Scope: analytics:view. Only devices the caller may act on. "
            + "The last reading of every metric the device sent in the last 7 days.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "metric name to its latest reading",
                        content = @Content(schema = @Schema(implementation = LatestView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "503", description = "InfluxDB is unavailable; see Retry-After")
            })
    public LatestView latest(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "the device, required") @QueryParam("deviceId") String deviceId) {
        return analytics.latest(caller, deviceId);
    }

    /** The availability of a device per day. */
    @GET
    @Path("/availability")
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Availability per day", description = "Scope: analytics:view. Only devices the caller may "
            + "act on. Per UTC day starting in the range: the time known, the uptime and its ratio, the outages and "
            + "the longest one, as the availability batch job computed them from the device's online/offline events "
            + "(standalone: an hour after each day ends). Oldest first; days without figures are left out.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the days",
                        content = @Content(schema = @Schema(implementation = AvailabilityView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "503", description = "InfluxDB is unavailable; see Retry-After")
            })
    public AvailabilityView availability(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "the device, required") @QueryParam("deviceId") String deviceId,
            @Parameter(description = "start, inclusive: epoch ms, ISO-8601 or relative (-7d); default -7d")
                    @QueryParam("from") String from,
            @Parameter(description = "end, exclusive: epoch ms, ISO-8601, now or relative; default now")
                    @QueryParam("to") String to) {
        return analytics.availability(caller, deviceId, from, to);
    }

    /** How fast the caller's tenant sends telemetry, for the fleet overview. */
    @GET
    @Path("/ingest-rate")
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Ingest rate", description = "Scope: analytics:view, and the tenant's admin role (the rate "
            + "is of every device of the tenant). Records per second into telemetry.raw over HTTP and MQTT, the mean "
            + "over the last windowSeconds complete seconds, as this service instance counted them since it started.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the rate",
                        content = @Content(schema = @Schema(implementation = IngestRateView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public IngestRateView ingestRate(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "seconds to average over, 1-60, default 10")
                    @QueryParam("windowSeconds") String windowSeconds) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("the ingest rate of the whole tenant is for the tenant's admins");
        }
        int window;
        try {
            window = windowSeconds == null || windowSeconds.isBlank() ? 10 : Integer.parseInt(windowSeconds.trim());
        } catch (NumberFormatException e) {
            window = -1;
        }
        if (window < 1 || window > IngestRate.MAX_WINDOW_SECONDS) {
            throw ApiException.badRequest("windowSeconds must be a whole number from 1 to "
                    + IngestRate.MAX_WINDOW_SECONDS);
        }
        IngestRate.Rate rate = ingestRate.rate(caller.tenant(), window);
        return new IngestRateView(rate.recordsPerSecond(), rate.windowSeconds());
    }
}
