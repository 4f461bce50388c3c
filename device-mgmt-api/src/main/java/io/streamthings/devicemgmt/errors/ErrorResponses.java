package io.streamthings.devicemgmt.errors;

import io.streamthings.devicemgmt.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds the JSON error answers of API.md. */
public final class ErrorResponses {

    private ErrorResponses() {}

    public static Response of(int status, String message) {
        return of(status, message, List.of());
    }

    public static Response of(int status, String message, List<String> details) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(status, message, details))
                .build();
    }
}
