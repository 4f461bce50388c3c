package io.streamthings.devicemgmt.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import io.streamthings.devicemgmt.errors.ErrorResponses;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** A 401 in API.md's JSON, with the Bearer challenge. */
public class JsonUnauthorizedHandler implements UnauthorizedHandler {

    @Override
    public Response buildResponse(String prefix, String realm) {
        return Response.fromResponse(ErrorResponses.of(401, "missing, invalid, expired or revoked bearer token"))
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .build();
    }
}
