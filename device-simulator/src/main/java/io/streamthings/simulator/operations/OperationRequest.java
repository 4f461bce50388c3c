package io.streamthings.simulator.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import java.io.IOException;
import java.util.Objects;

/**
 * One operation as a simulated device sees it, from either transport.
 *
 * @param operationId the operation, reported back with every status
 * @param kind {@code COMMAND}, {@code CONFIG}, {@code POLICY} or {@code EDGE_RULE}; {@code COMMAND} when not given
 * @param code the feature code, e.g. {@code reboot}; may be empty for a POLICY
 * @param params the params (an empty object when absent)
 * @param idempotencyKey the key a duplicate delivery shares with the first; the operation id when not given
 * @param oneWay done once delivered: the platform expects no status report
 */
public record OperationRequest(String operationId, String kind, String code, JsonNode params,
        String idempotencyKey, boolean oneWay) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public OperationRequest {
        Objects.requireNonNull(operationId, "operationId");
        kind = kind == null || kind.isBlank() ? "COMMAND" : kind;
        code = code == null ? "" : code;
        params = params == null || params instanceof NullNode ? JSON.createObjectNode() : params;
        idempotencyKey = idempotencyKey == null || idempotencyKey.isBlank() ? operationId : idempotencyKey;
    }

    /**
     * What the MQTT server sends down {@code devices/{id}/operations}: {@link OperationCodec}'s envelope around the
     * operation's own JSON ({@code {"operationId", "kind", "code", "params", "idempotencyKey", "oneWay", ...}}).
     *
     * @throws IllegalArgumentException when it is not such a message
     */
    public static OperationRequest fromMqtt(byte[] message) {
        OperationMessage envelope = OperationCodec.decodeOperation(message);
        JsonNode payload;
        try {
            payload = JSON.readTree(envelope.payloadJson());
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getMessage(), e);
        }
        return of(envelope.operationId(), payload);
    }

    /**
     * One item of {@code GET /device/operations/pending}: the operation's JSON with its id in {@code id} or
     * {@code operationId}.
     *
     * @throws IllegalArgumentException when it has no id
     */
    public static OperationRequest fromHttp(JsonNode item) {
        String id = text(item, "operationId");
        if (id == null) {
            id = text(item, "id");
        }
        if (id == null) {
            throw new IllegalArgumentException("a pending operation without an id: " + item);
        }
        return of(id, item);
    }

    private static OperationRequest of(String operationId, JsonNode op) {
        // Some senders nest the operation once more (an envelope's "payload" or "operation"); accept both.
        JsonNode body = op.has("code") || op.has("kind") ? op
                : op.has("payload") ? op.get("payload") : op.has("operation") ? op.get("operation") : op;
        String code = text(body, "code");
        if (code == null) {
            code = text(body, "feature");
        }
        String key = text(body, "idempotencyKey");
        if (key == null) {
            key = text(op, "idempotencyKey");
        }
        return new OperationRequest(operationId, text(body, "kind"), code, body.get("params"), key,
                body.path("oneWay").asBoolean(false));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
