package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** The outcome of one row of a bulk enrollment. */
@Schema(name = "BulkRowResult")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BulkRowResult(
        @Schema(description = "0-based row index in the request") int index,
        String id,
        @Schema(allowableValues = {"ENROLLED", "FAILED"}) String status,
        String token,
        String message) {

    public static BulkRowResult enrolled(int index, String id, String token) {
        return new BulkRowResult(index, id, "ENROLLED", token, null);
    }

    public static BulkRowResult failed(int index, String id, String message) {
        return new BulkRowResult(index, id, "FAILED", null, message);
    }
}
