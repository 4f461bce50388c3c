package io.streamthings.devicemgmt.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.Map;

/** Free-form JSON held in a JSONB column: bounded in size, read back as plain Java values. */
public class Properties {

    /** Upper bound on the JSON of one device's properties, in bytes. */
    public static final int MAX_JSON_BYTES = 16 * 1024;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper json;

    public Properties(ObjectMapper json) {
        this.json = json;
    }

    /** JSON text of the map; 400 when it is larger than {@link #MAX_JSON_BYTES}. */
    public String write(Map<String, Object> properties) {
        try {
            String text = json.writeValueAsString(properties == null ? Map.of() : properties);
            if (text.length() > MAX_JSON_BYTES) {
                throw ApiException.badRequest("properties: larger than " + MAX_JSON_BYTES + " bytes of JSON");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("properties: not representable as JSON");
        }
    }

    public Map<String, Object> read(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
    }

    public String writeAny(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value must serialise", e);
        }
    }

    public <T> T readAs(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not match its type", e);
        }
    }
}
