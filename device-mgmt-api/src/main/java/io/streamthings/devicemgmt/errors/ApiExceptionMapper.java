package io.streamthings.devicemgmt.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Our own refusals, as they were raised. */
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        return ErrorResponses.of(e.status(), e.getMessage(), e.details());
    }
}
