package io.streamthings.common.operation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON forms of {@link OperationMessage} and {@link OperationStatus}, with Jackson's streaming API only:
 *
 * <pre>{"tenant":"acme","deviceId":"d1","operationId":"op-1","payload":{"reboot":true}}
 * {"tenant":"acme","deviceId":"d1","operationId":"op-1","status":"DELIVERED","ts":1764131000000}
 * {"tenant":"acme","deviceId":"d1","operationId":"op-1","status":"COMPLETED","ts":1764131000000,"response":{"ok":1}}</pre>
 *
 * An operation's payload is any JSON value and is kept byte for byte. Unknown fields are skipped.
 */
public final class OperationCodec {

    private static final JsonFactory FACTORY = new JsonFactory();

    private OperationCodec() {}

    public static byte[] encode(OperationMessage op) {
        return write(128 + op.payloadJson().length(), g -> {
            g.writeStringField("tenant", op.tenant());
            g.writeStringField("deviceId", op.deviceId());
            g.writeStringField("operationId", op.operationId());
            g.writeFieldName("payload");
            g.writeRawValue(op.payloadJson());
        });
    }

    /**
     * @throws IllegalArgumentException when the input is not such an object or lacks a field
     */
    public static OperationMessage decodeOperation(byte[] json) {
        String tenant = null;
        String deviceId = null;
        String operationId = null;
        String payload = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an operation must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "tenant" -> tenant = text(p, t, name);
                    case "deviceId" -> deviceId = text(p, t, name);
                    case "operationId" -> operationId = text(p, t, name);
                    case "payload" -> payload = raw(p, t, json);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (tenant == null || deviceId == null || operationId == null || payload == null) {
            throw new IllegalArgumentException("an operation needs tenant, deviceId, operationId and payload");
        }
        return new OperationMessage(tenant, deviceId, operationId, payload);
    }

    public static byte[] encode(OperationStatus s) {
        return write(160, g -> {
            g.writeStringField("tenant", s.tenant());
            g.writeStringField("deviceId", s.deviceId());
            g.writeStringField("operationId", s.operationId());
            g.writeStringField("status", s.status());
            g.writeNumberField("ts", s.ts());
            if (s.responseJson() != null) {
                g.writeFieldName("response");
                g.writeRawValue(s.responseJson());
            }
        });
    }

    /** The fields one message writes between its braces. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object with the given fields, encoded in memory. */
    private static byte[] write(int sizeHint, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the input is not such an object or lacks a field
     */
    public static OperationStatus decodeStatus(byte[] json) {
        String tenant = null;
        String deviceId = null;
        String operationId = null;
        String status = null;
        String response = null;
        long ts = 0;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an operation status must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "tenant" -> tenant = text(p, t, name);
                    case "deviceId" -> deviceId = text(p, t, name);
                    case "operationId" -> operationId = text(p, t, name);
                    case "status" -> status = text(p, t, name);
                    case "ts" -> ts = p.getValueAsLong();
                    case "response" -> response = t == JsonToken.VALUE_NULL ? null : raw(p, t, json);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (tenant == null || deviceId == null || operationId == null || status == null) {
            throw new IllegalArgumentException("a status needs tenant, deviceId, operationId and status");
        }
        return new OperationStatus(tenant, deviceId, operationId, status, ts, response);
    }

    /** The current value's bytes as they are: byte offsets of its first token and of the end of its last. */
    private static String raw(JsonParser p, JsonToken t, byte[] json) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (t.isScalarValue()) {
            p.finishToken(); // a string is read lazily: its end is known only once read
        } else {
            p.skipChildren();
        }
        int end = (int) p.currentLocation().getByteOffset();
        return new String(json, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * A device's own report, as it publishes it on {@code devices/{id}/operations/{opId}/status}:
     * {@code {"status": "COMPLETED", "response": <any JSON>}}. Tenant, device and operation come from the transport
     * (the authenticated connection and the topic), never from the payload.
     *
     * @throws IllegalArgumentException when the input is not such an object or has no status
     */
    public static OperationStatus decodeReport(String tenant, String deviceId, String operationId, long ts,
            byte[] json) {
        String status = null;
        String response = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a status report must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "status" -> status = text(p, t, name);
                    case "response" -> response = t == JsonToken.VALUE_NULL ? null : raw(p, t, json);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (status == null || status.isBlank()) {
            throw new IllegalArgumentException("a status report needs a status");
        }
        return new OperationStatus(tenant, deviceId, operationId, status, ts, response);
    }

    private static String text(JsonParser p, JsonToken t, String name) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(name + ": expected a string");
        }
        return p.getText();
    }
}
