package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.analytics.AnalyticsService;
import io.streamthings.devicemgmt.api.PredictionsView;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The predictive job's forecasts of a device's metrics, from InfluxDB. */
@Path("/api/v1/predictions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analytics", description = "Telemetry series, latest values, predictions and the live stream")
public class PredictionResource {

    private final AnalyticsService analytics;

    /** Answers through {@code analytics}. */
    public PredictionResource(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    /** The forecasts of one metric of one device over a range, oldest first. */
    @GET
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Predictions", description = "Scope: analytics:view. Only devices the caller may act on. "
            + "The forecasts the predictive job stored for times in the range (the latest forecast of each time, "
            + "per model): expected value, band, anomaly score and time until a threshold is crossed when the model "
            + "gives them. At most maxPoints, oldest first; truncated says whether more were in range.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the forecasts",
                        content = @Content(schema = @Schema(implementation = PredictionsView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "503", description = "InfluxDB is unavailable; see Retry-After")
            })
    public PredictionsView predictions(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "the device, required") @QueryParam("deviceId") String deviceId,
            @Parameter(description = "the metric, required") @QueryParam("metric") String metric,
            @Parameter(description = "start, inclusive: epoch ms, ISO-8601 or relative (-1h, +2h); default -1h")
                    @QueryParam("from") String from,
            @Parameter(description = "end, inclusive: epoch ms, ISO-8601, now or relative (+24h, '+' sent as %2B); "
                    + "default +24h") @QueryParam("to") String to,
            @Parameter(description = "most forecasts answered, 1-10000, default 1000")
                    @QueryParam("maxPoints") String maxPoints) {
        return analytics.predictions(caller, deviceId, metric, from, to, maxPoints);
    }
}
