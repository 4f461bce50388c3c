package io.streamthings.devicemgmt.errors;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jersey's own refusals (unknown path 404, 405, 406, 415, an authentication challenge) in our JSON; headers such as
 * {@code Allow} and {@code WWW-Authenticate} are kept.
 */
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Logger LOG = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            LOG.error("Server error answered to a request", e);
        }
        Response.ResponseBuilder builder = Response.fromResponse(ErrorResponses.of(status, messageFor(status, e)));
        copy(original, builder, HttpHeaders.WWW_AUTHENTICATE);
        copy(original, builder, HttpHeaders.ALLOW);
        copy(original, builder, HttpHeaders.RETRY_AFTER);
        return builder.build();
    }

    private static void copy(Response from, Response.ResponseBuilder to, String header) {
        Object value = from.getHeaders().getFirst(header);
        if (value != null) {
            to.header(header, value);
        }
    }

    private static String messageFor(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "not found";
            case 405 -> e instanceof NotAllowedException
                    ? "method not allowed; allowed: " + e.getResponse().getAllowedMethods()
                    : "method not allowed";
            case 406 -> "not acceptable: this resource answers in JSON";
            case 415 -> "unsupported media type";
            case 401 -> "authentication required";
            case 403 -> "forbidden";
            default -> status >= 500 ? "internal server error" : reasonOf(status);
        };
    }

    private static String reasonOf(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "bad request" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
    }
}
