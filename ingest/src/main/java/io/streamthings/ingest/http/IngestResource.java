package io.streamthings.ingest.http;

import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.ingest.config.HttpSettings;
import io.streamthings.ingest.core.Batch;
import io.streamthings.ingest.core.DeviceRateLimiter;
import io.streamthings.ingest.core.IngestMetrics;
import io.streamthings.ingest.core.IngestPipeline;
import io.streamthings.ingest.core.LineProtocol;
import io.streamthings.ingest.sink.SinkBusyException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * HTTP telemetry ingest for devices, authenticated by their device token ({@link DeviceAuthFilter}).
 *
 * <ul>
 *   <li>{@code POST /api/v1/ingest/telemetry}: one JSON record or an array of them; optionally gzip.</li>
 *   <li>{@code POST /api/v1/ingest/write?precision=ns|us|ms|s}: InfluxDB line protocol, as Telegraf sends it.</li>
 * </ul>
 *
 * The answer comes only after Kafka acknowledged the accepted records and the dead letters of the rejected ones:
 * 202 {@code {"accepted": n, "rejected": [{"index", "message"}]}} (204 for a fully accepted line-protocol write, as
 * InfluxDB answers); 400 when nothing was accepted; 413 over the body limit; 429 with {@code Retry-After} over the
 * device's rate; 503 with {@code Retry-After} when Kafka is slow or down.
 */
@Path("/api/v1/ingest")
@DeviceAuthenticated
@Produces(MediaType.APPLICATION_JSON)
public final class IngestResource {

    private final IngestPipeline pipeline;
    private final DeviceRateLimiter rateLimiter;
    private final IngestMetrics metrics;
    private final HttpSettings settings;
    private final Executor responder;
    private final LongSupplier clockMs;

    /**
     * @param rateLimiter null when rate limits are off
     * @param responder writes the answers, so that Kafka's I/O thread, which completes the sends, never does
     */
    public IngestResource(IngestPipeline pipeline, DeviceRateLimiter rateLimiter, IngestMetrics metrics,
            HttpSettings settings, Executor responder, LongSupplier clockMs) {
        this.pipeline = pipeline;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.settings = settings;
        this.responder = responder;
        this.clockMs = clockMs;
    }

    /** One telemetry record or a JSON array of them. */
    @POST
    @Path("/telemetry")
    @Consumes(MediaType.WILDCARD)
    public void telemetry(@Context ContainerRequestContext request, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_ENCODING) String encoding, @Suspended AsyncResponse response) {
        DeviceIdentity device = (DeviceIdentity) request.getProperty(DeviceAuthFilter.DEVICE);
        long receivedAt = clockMs.getAsLong();
        byte[] payload = readOrAnswer(request, body, encoding, device, receivedAt, response);
        if (payload != null) {
            send(pipeline.decodeJson(device, "http", payload, receivedAt), false, response);
        }
    }

    /** InfluxDB line protocol; {@code precision} as in InfluxDB's {@code /write}, nanoseconds by default. */
    @POST
    @Path("/write")
    @Consumes(MediaType.WILDCARD)
    public void write(@Context ContainerRequestContext request, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_ENCODING) String encoding, @QueryParam("precision") String precision,
            @Suspended AsyncResponse response) {
        DeviceIdentity device = (DeviceIdentity) request.getProperty(DeviceAuthFilter.DEVICE);
        LineProtocol.Precision p;
        try {
            p = LineProtocol.Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            response.resume(IngestResponses.error(400, e.getMessage()));
            return;
        }
        long receivedAt = clockMs.getAsLong();
        byte[] payload = readOrAnswer(request, body, encoding, device, receivedAt, response);
        if (payload != null) {
            send(pipeline.decodeLines(device, payload, p, receivedAt), true, response);
        }
    }

    private byte[] readOrAnswer(ContainerRequestContext request, InputStream body, String encoding,
            DeviceIdentity device, long receivedAt, AsyncResponse response) {
        int limit = pipeline.codec().limits().maxPayloadBytes();
        try {
            return BoundedBody.read(body, request.getLength(), encoding, limit);
        } catch (PayloadTooLargeException e) {
            // Refused before reading the rest; the dead letter keeps the reason and what was read.
            DeadLetter letter = new DeadLetter("$: " + e.getMessage(), "$", receivedAt, "http", device.tenant(),
                    device.deviceId(), e.head());
            answerAfter(pipeline.deadLetter(letter, Duration.ZERO), IngestResponses.error(413, e.getMessage()),
                    response);
            return null;
        } catch (IOException e) {
            response.resume(IngestResponses.error(400, "could not read the body: " + e.getMessage()));
            return null;
        }
    }

    private void send(Batch batch, boolean lineProtocol, AsyncResponse response) {
        if (rateLimiter != null && !batch.accepted().isEmpty()) {
            DeviceIdentity d = batch.device();
            long wait = rateLimiter.tryAcquire(d.tenant() + "/" + d.deviceId(), batch.accepted().size());
            if (wait > 0) {
                metrics.rateLimited();
                response.resume(IngestResponses.retryLater(429, "rate limit exceeded for device " + d.deviceId()
                        + "; retry after " + wait + " s", wait));
                return;
            }
        }
        Response answer;
        if (batch.bodyRejected()) {
            var r = batch.rejected().get(0);
            answer = IngestResponses.error(r.kind().httpStatus(), r.message());
        } else if (batch.accepted().isEmpty() && batch.rejected().isEmpty()) {
            answer = IngestResponses.error(400, "the payload holds no records");
        } else if (batch.accepted().isEmpty()) {
            answer = IngestResponses.allRejected(batch.rejected());
        } else if (lineProtocol && batch.rejected().isEmpty()) {
            answer = Response.noContent().build();
        } else if (lineProtocol) {
            answer = Response.fromResponse(IngestResponses.allRejected(batch.rejected()))
                    .entity(partialWrite(batch)).build();
        } else {
            answer = IngestResponses.accepted(batch.accepted().size(), batch.rejected());
        }
        answerAfter(pipeline.deliver(batch, Duration.ZERO), answer, response);
    }

    private static Map<String, Object> partialWrite(Batch batch) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 400);
        body.put("message", "partial write: " + batch.rejected().size() + " line(s) rejected, "
                + batch.accepted().size() + " accepted");
        body.put("accepted", batch.accepted().size());
        body.put("rejected", batch.rejected().stream().map(r -> Map.of("index", r.index(), "message",
                r.message())).toList());
        return body;
    }

    /** Answers once Kafka has acknowledged; 503 when the sink is full, fails, or takes longer than the timeout. */
    private void answerAfter(CompletableFuture<Void> acked, Response answer,
            AsyncResponse response) {
        response.setTimeout(settings.getAckTimeoutMs(), TimeUnit.MILLISECONDS);
        response.setTimeoutHandler(r -> {
            metrics.busy();
            r.resume(unavailable("Kafka did not acknowledge in time"));
        });
        acked.whenCompleteAsync((ok, error) -> {
            if (error == null) {
                response.resume(answer);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            metrics.busy();
            response.resume(unavailable(cause instanceof SinkBusyException
                    ? "ingest is at capacity: " + cause.getMessage()
                    : "Kafka did not take the records: " + cause.getMessage()));
        }, responder);
    }

    private Response unavailable(String message) {
        return IngestResponses.retryLater(503, message, settings.getRetryAfterSeconds());
    }
}
