package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One operation to one device, as the API shows it.
 *
 * @param history every change of state, oldest first; only in {@code GET /operations/{id}}
 */
@Schema(name = "Operation")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationView(
        String id,
        String deviceId,
        String rolloutId,
        OperationKind kind,
        String code,
        JsonNode params,
        boolean oneWay,
        OperationState status,
        String idempotencyKey,
        JsonNode response,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt,
        Instant deliveredAt,
        Instant finishedAt,
        Instant expiresAt,
        long timeoutSeconds,
        List<Change> history) {

    /** One change of state: when, what, the device's response, and who said so (api, mqtt, http, sweeper, rollout). */
    @Schema(name = "OperationChange")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(OperationState status, Instant at, String source, JsonNode response) {}

    OperationView withHistory(List<Change> history) {
        return new OperationView(id, deviceId, rolloutId, kind, code, params, oneWay, status, idempotencyKey, response,
                createdBy, createdAt, updatedAt, sentAt, deliveredAt, finishedAt, expiresAt, timeoutSeconds, history);
    }
}
