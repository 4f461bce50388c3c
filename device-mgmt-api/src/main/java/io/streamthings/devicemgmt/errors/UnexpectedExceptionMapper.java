package io.streamthings.devicemgmt.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything else: 500 with a reference the operator can find in the log; the stack trace stays in the log. */
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof EofException) {
            // The client went away mid-request; nobody is left to read an answer.
            return ErrorResponses.of(400, "request body ended early");
        }
        long id = logId();
        LOG.error("Unexpected error {}", id, e);
        return ErrorResponses.of(500, "internal server error (reference " + id + ")");
    }

    static long logId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
