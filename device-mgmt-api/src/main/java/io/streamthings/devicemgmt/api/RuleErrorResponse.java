package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A refused rule app: the error answer of the API plus where in the app text the problem is.
 *
 * @param line 1-based line of the offending element, when the compiler knows it
 * @param column 1-based column, when the compiler knows it
 */
@Schema(name = "RuleError", description = "A rule app that was refused, with the line and column of the problem")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleErrorResponse(
        @Schema(example = "400") int code,
        @Schema(example = "line 3, column 6: Stream 'Nope' is not defined") String message,
        Integer line,
        Integer column,
        List<String> details) {}
