package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Every error of the API: the HTTP status repeated as {@code code}, a message for a person, and optional details.
 *
 * @param code the HTTP status code
 * @param message what went wrong, never a stack trace
 * @param details per-field problems, when there are several
 */
@Schema(name = "Error", description = "Every error answer of the API")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorResponse(
        @Schema(example = "400") int code,
        @Schema(example = "name: size must be between 1 and 128") String message,
        List<String> details) {

    public ErrorResponse(int code, String message) {
        this(code, message, List.of());
    }
}
