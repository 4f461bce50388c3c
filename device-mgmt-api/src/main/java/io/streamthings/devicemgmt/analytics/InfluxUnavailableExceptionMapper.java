package io.streamthings.devicemgmt.analytics;

import io.streamthings.devicemgmt.errors.ErrorResponses;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** InfluxDB down: 503 with {@code Retry-After}, as API.md answers for a dependency that is down. */
public class InfluxUnavailableExceptionMapper implements ExceptionMapper<InfluxUnavailableException> {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxUnavailableExceptionMapper.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    /** The JSON error of API.md; the cause goes to the log, not to the caller. */
    @Override
    public Response toResponse(InfluxUnavailableException e) {
        LOG.warn("{}: {}", e.getMessage(), String.valueOf(e.getCause()));
        return Response.fromResponse(ErrorResponses.of(503, e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }
}
