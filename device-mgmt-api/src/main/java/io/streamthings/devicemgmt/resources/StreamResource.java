package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.analytics.AnalyticsService;
import io.streamthings.devicemgmt.analytics.StreamFilter;
import io.streamthings.devicemgmt.analytics.StreamHub;
import io.streamthings.devicemgmt.analytics.StreamSubscription;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.auth.TokenService;
import io.streamthings.devicemgmt.errors.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * Live telemetry and alerts as server-sent events, for dashboards. Written through Jersey's {@link ChunkedOutput}
 * (the base of Jersey's SSE module, which Dropwizard 5 does not ship): each write reaches the client at once, whereas a
 * {@code StreamingOutput}'s flush does nothing until Jersey's 8 KiB response buffer fills. Each connected client has
 * one thread of the hub writing its events; the request thread is released.
 */
@Path("/api/v1/stream")
@Tag(name = "analytics", description = "Telemetry series, latest values, predictions and the live stream")
public class StreamResource {

    /** The media type of server-sent events. */
    public static final String EVENT_STREAM = "text/event-stream";
    /** A comment line at least this often: below Jetty's default 30 s idle timeout and typical proxies' 60 s. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** How long a new client waits for the hub's first Kafka positions before its stream starts anyway. */
    private static final Duration READY_WAIT = Duration.ofSeconds(3);

    private final StreamHub hub;
    private final AnalyticsService analytics;
    private final TokenService tokens;

    /** Streams from {@code hub}; checks devices through {@code analytics}, callers again through {@code tokens}. */
    public StreamResource(StreamHub hub, AnalyticsService analytics, TokenService tokens) {
        this.hub = hub;
        this.analytics = analytics;
        this.tokens = tokens;
    }

    /** The live stream of one device, or of the whole tenant for its admins. */
    @GET
    @Produces(EVENT_STREAM)
    @RequiresScope(Scopes.ANALYTICS_VIEW)
    @Operation(summary = "Live events (server-sent events)", description = "Scope: analytics:view. One event per "
            + "record produced after the client connected: `event: telemetry` (a stamped telemetry record) or "
            + "`event: alerts` (an alert firing), `data:` its JSON. A comment line every 15 s keeps the connection "
            + "open. With deviceId: that device, which the caller must be able to act on (404 otherwise). Without: "
            + "every device of the tenant, for the tenant's admins only (400 for others). A client that reads too "
            + "slowly is disconnected rather than slowing others down; reconnecting resumes from that moment. The "
            + "stream ends once the token expires or is revoked, or the caller may no longer see the device (checked "
            + "periodically); one caller may hold a few streams at once (429 beyond).",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.ANALYTICS_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the event stream",
                        content = @Content(mediaType = EVENT_STREAM)),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "429", description = "the caller holds the most live streams allowed")
            })
    public Response stream(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "only this device; required unless the caller is an admin of the tenant")
                    @QueryParam("deviceId") String deviceId,
            @Parameter(description = "comma-separated: telemetry, alerts; default both")
                    @QueryParam("topics") String topics) {
        StreamFilter filter = filter(caller, deviceId, topics);
        ChunkedOutput<String> body = new ChunkedOutput<>(String.class);
        StreamSubscription subscription = hub.subscribe(filter, caller.tenant() + "/" + caller.name(),
                () -> stillAllowed(caller, filter));
        hub.serve(subscription, body::write, HEARTBEAT, READY_WAIT, () -> close(body));
        return Response.ok(body, EVENT_STREAM)
                .header("Cache-Control", "no-cache")
                // nginx buffers responses unless told otherwise, which would hold events back.
                .header("X-Accel-Buffering", "no")
                .build();
    }

    /**
     * What the request was let in with, asked again while the stream runs: the token still valid (not expired, not
     * revoked) with the scope, and the device still one the caller may act on (or the caller still an admin).
     */
    private boolean stillAllowed(Caller opened, StreamFilter filter) {
        Optional<Caller> now = tokens.recheck(opened);
        if (now.isEmpty() || !now.get().hasScope(Scopes.ANALYTICS_VIEW)) {
            return false;
        }
        if (filter.deviceId() == null) {
            return now.get().isAdmin();
        }
        try {
            analytics.requireVisible(now.get(), filter.deviceId());
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    private static void close(ChunkedOutput<String> body) {
        try {
            body.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private StreamFilter filter(Caller caller, String deviceId, String topics) {
        boolean telemetry = false;
        boolean alerts = false;
        String wanted = topics == null || topics.isBlank() ? "telemetry,alerts" : topics;
        for (String t : wanted.split(",")) {
            switch (t.trim().toLowerCase(Locale.ROOT)) {
                case "telemetry" -> telemetry = true;
                case "alerts" -> alerts = true;
                case "" -> { }
                default -> throw ApiException.badRequest("topics: expected telemetry, alerts or both, got " + t.trim());
            }
        }
        if (!telemetry && !alerts) {
            throw ApiException.badRequest("topics: expected telemetry, alerts or both");
        }
        if (deviceId == null || deviceId.isBlank()) {
            // Why not a whole-tenant stream filtered to the visible devices for everyone: that set would have to be
            // recomputed as groups are shared and unshared; a per-device stream needs one check, at connect.
            if (!caller.isAdmin()) {
                throw ApiException.badRequest("deviceId is required unless the caller is an admin of the tenant");
            }
            return new StreamFilter(caller.tenant(), null, telemetry, alerts);
        }
        analytics.requireVisible(caller, deviceId);
        return new StreamFilter(caller.tenant(), deviceId, telemetry, alerts);
    }
}
