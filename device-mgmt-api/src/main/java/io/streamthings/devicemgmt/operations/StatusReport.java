package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;

/**
 * A device's report on one of its operations.
 *
 * @param status DELIVERED, IN_PROGRESS, COMPLETED, ERROR or REJECTED
 * @param response anything the device wants to say (a result, an error message); stored with the change
 */
@Schema(name = "StatusReport")
public record StatusReport(@NotBlank @Schema(example = "COMPLETED") String status, JsonNode response) {}
