package io.streamthings.common.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of an {@link AlertEvent} on the {@code alerts} topic, with Jackson's streaming API only:
 *
 * <pre>{"tenant":"acme","source":"rule","rule":"hot-device","deviceId":"d1","severity":"critical",
 *  "message":"too hot","ts":1764131000000,"firedAt":1764131000123,"values":{"temperature":93.5}}</pre>
 *
 * Values keep their JSON type: strings, numbers (integral ones as long, others as double) and booleans. Unknown
 * fields are skipped so that a newer writer does not break an older reader.
 */
public final class AlertCodec {

    private static final JsonFactory FACTORY = new JsonFactory();

    private AlertCodec() {}

    /** The alert as UTF-8 JSON. */
    public static byte[] encode(AlertEvent alert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("tenant", alert.tenant());
            g.writeStringField("source", alert.source());
            g.writeStringField("rule", alert.rule());
            if (alert.deviceId() != null) {
                g.writeStringField("deviceId", alert.deviceId());
            }
            g.writeStringField("severity", alert.severity());
            g.writeStringField("message", alert.message());
            g.writeNumberField("ts", alert.ts());
            g.writeNumberField("firedAt", alert.firedAt());
            g.writeObjectFieldStart("values");
            for (Map.Entry<String, Object> e : alert.values().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads an alert from UTF-8 JSON.
     *
     * @throws IllegalArgumentException when the input is not JSON, not an object, or lacks a required field
     */
    public static AlertEvent decode(byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException("alert JSON is null");
        }
        String tenant = null;
        String source = null;
        String rule = null;
        String deviceId = null;
        String severity = null;
        String message = null;
        Long ts = null;
        long firedAt = 0;
        Map<String, Object> values = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("alert must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "tenant" -> tenant = text(p, token);
                    case "source" -> source = text(p, token);
                    case "rule" -> rule = text(p, token);
                    case "deviceId" -> deviceId = text(p, token);
                    case "severity" -> severity = text(p, token);
                    case "message" -> message = text(p, token);
                    case "ts" -> ts = number(p, token, field);
                    case "firedAt" -> firedAt = number(p, token, field);
                    case "values" -> readValues(p, token, values);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.CharConversionException e) {
            // leading zero bytes make Jackson read UTF-32, and then fail on what is not
            throw new IllegalArgumentException("alert is not valid text: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        if (tenant == null || rule == null || ts == null) {
            throw new IllegalArgumentException("alert needs tenant, rule and ts");
        }
        return new AlertEvent(tenant, source == null ? "rule" : source, rule, deviceId, severity, message, ts,
                firedAt, values);
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeString(d.toString()); // JSON has no NaN or infinity
            } else {
                g.writeNumber(d);
            }
        } else if (value instanceof Float f) {
            writeValue(g, f.doubleValue());
        } else if (value instanceof Long || value instanceof Integer) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(value.toString());
        }
    }

    private static void readValues(JsonParser p, JsonToken token, Map<String, Object> values) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("alert values must be an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_STRING -> values.put(name, p.getText());
                case VALUE_NUMBER_INT -> values.put(name, p.getLongValue());
                case VALUE_NUMBER_FLOAT -> values.put(name, p.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> values.put(name, p.getBooleanValue());
                case VALUE_NULL -> values.put(name, null);
                default -> p.skipChildren();
            }
        }
    }

    private static String text(JsonParser p, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL ? null : p.getValueAsString();
    }

    private static long number(JsonParser p, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("alert " + field + " must be an integer");
        }
        return p.getLongValue();
    }
}
