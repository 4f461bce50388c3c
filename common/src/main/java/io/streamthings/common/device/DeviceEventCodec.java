package io.streamthings.common.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamthings.common.kafka.Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of a {@link DeviceEvent} on {@code device.events}, with Jackson's streaming API only. Fields in this
 * order, the optional ones only when set:
 *
 * <pre>{"type":"status_changed","tenant":"acme","deviceId":"t-17","deviceType":"thermostat","status":"BLOCKED",
 *  "ts":1764131000123}
 * {"type":"offline","tenant":"acme","deviceId":"t-17","ts":1764131000456,"transport":"mqtt","reason":"keep-alive"}
 * {"type":"seen","tenant":"acme","deviceId":"t-17","ts":1764131000789}</pre>
 *
 * Unknown fields are skipped so that a newer writer does not break an older reader; an unknown {@code type} is
 * refused, and a reader skips that event.
 */
public final class DeviceEventCodec implements Codec<DeviceEvent> {

    /** The one instance. */
    public static final DeviceEventCodec INSTANCE = new DeviceEventCodec();

    private static final JsonFactory FACTORY = new JsonFactory();

    private DeviceEventCodec() {}

    /**
     * The event as UTF-8 JSON.
     *
     * @throws IllegalArgumentException for null
     */
    @Override
    public byte[] encode(DeviceEvent e) {
        if (e == null) {
            throw new IllegalArgumentException("a device event is required");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", e.kind().wireName());
            g.writeStringField("tenant", e.tenant());
            g.writeStringField("deviceId", e.deviceId());
            if (e.deviceType() != null) {
                g.writeStringField("deviceType", e.deviceType());
            }
            if (e.status() != null) {
                g.writeStringField("status", e.status().name());
            }
            g.writeNumberField("ts", e.ts());
            if (e.transport() != null) {
                g.writeStringField("transport", e.transport());
            }
            if (e.reason() != null) {
                g.writeStringField("reason", e.reason());
            }
            g.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException("writing to memory cannot fail", x);
        }
        return out.toByteArray();
    }

    /**
     * Reads an event from UTF-8 JSON.
     *
     * @throws IllegalArgumentException when the input is null, not a JSON object, lacks type, tenant, deviceId or ts,
     *     or has an unknown type or status
     */
    @Override
    public DeviceEvent decode(byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException("device event JSON is null");
        }
        String type = null;
        String tenant = null;
        String deviceId = null;
        Long ts = null;
        String deviceType = null;
        String status = null;
        String transport = null;
        String reason = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a device event must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = text(p, field, value);
                    case "tenant" -> tenant = text(p, field, value);
                    case "deviceId" -> deviceId = text(p, field, value);
                    case "deviceType" -> deviceType = text(p, field, value);
                    case "status" -> status = text(p, field, value);
                    case "transport" -> transport = text(p, field, value);
                    case "reason" -> reason = text(p, field, value);
                    case "ts" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new IllegalArgumentException("ts must be an integer");
                        }
                        ts = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed device event JSON: " + e.getMessage(), e);
        }
        if (type == null || tenant == null || deviceId == null || ts == null) {
            throw new IllegalArgumentException("a device event needs type, tenant, deviceId and ts");
        }
        return new DeviceEvent(DeviceEvent.Kind.ofWireName(type), tenant, deviceId, ts, deviceType,
                status == null ? null : DeviceStatus.valueOf(status), transport, reason);
    }

    private static String text(JsonParser p, String field, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return p.getText();
    }
}
