package io.streamthings.devicemgmt.errors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Our own refusals, as they were raised. */
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        Response response = ErrorResponses.of(e.status(), e.getMessage(), e.details());
        if (e.retryAfterSeconds() > 0) {
            return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
        }
        return response;
    }
}
