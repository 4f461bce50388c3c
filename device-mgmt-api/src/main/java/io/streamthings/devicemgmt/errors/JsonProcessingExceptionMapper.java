package io.streamthings.devicemgmt.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A request body that is not JSON, or not the JSON expected: 400 naming the field, never Jackson's internals. */
public class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonProcessingExceptionMapper.class);

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            // Our own type cannot be (de)serialised: a bug, not the client's fault.
            LOG.error("Cannot map a JSON type", e);
            return ErrorResponses.of(500, "internal server error");
        }
        return ErrorResponses.of(400, JsonErrors.describe(e));
    }
}
