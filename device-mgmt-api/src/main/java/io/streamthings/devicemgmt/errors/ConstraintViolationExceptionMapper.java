package io.streamthings.devicemgmt.errors;

import io.dropwizard.jersey.validation.ConstraintMessage;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/**
 * Bean Validation failures on a request (too long, missing, out of range): 400 with one detail per field. Dropwizard
 * would answer 422 for a body; API.md keeps 422 for rules that need the database, so shape errors are 400 here.
 */
public class ConstraintViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<String> details = e.getConstraintViolations().stream()
                .map(violation -> message(e, violation))
                .sorted()
                .toList();
        String message = details.isEmpty() ? "invalid request" : details.get(0);
        return ErrorResponses.of(400, message, details);
    }

    private static String message(ConstraintViolationException e, ConstraintViolation<?> violation) {
        if (e instanceof JerseyViolationException jersey) {
            return ConstraintMessage.getMessage(violation, jersey.getInvocable());
        }
        return violation.getPropertyPath() + " " + violation.getMessage();
    }
}
