package io.streamthings.devicemgmt.errors;

import io.streamthings.devicemgmt.api.RuleErrorResponse;
import io.streamthings.rules.compile.RuleRejectedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/** A rule app the compiler or the platform's rule policy refused: 400 with the line and column of the problem. */
public class RuleRejectedExceptionMapper implements ExceptionMapper<RuleRejectedException> {

    @Override
    public Response toResponse(RuleRejectedException e) {
        Integer line = e.line().isPresent() ? e.line().getAsInt() : null;
        Integer column = e.column().isPresent() ? e.column().getAsInt() : null;
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new RuleErrorResponse(400, e.getMessage(), line, column, List.of(e.reason())))
                .build();
    }
}
