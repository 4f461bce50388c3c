package io.streamthings.rules.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON of the rule catalog's Kafka records ({@link RuleDefinition} on {@code rules}, {@link RuleStatus} on
 * {@code rule.status}); unknown fields are ignored so that a newer writer does not break an older reader.
 */
public final class CatalogCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CatalogCodec() {}

    public static byte[] encode(RuleDefinition rule) {
        return write(rule);
    }

    public static byte[] encode(RuleStatus status) {
        return write(status);
    }

    /** @throws IllegalArgumentException when the bytes are not a rule definition */
    public static RuleDefinition decodeDefinition(byte[] json) {
        return read(json, RuleDefinition.class);
    }

    /** @throws IllegalArgumentException when the bytes are not a rule status */
    public static RuleStatus decodeStatus(byte[] json) {
        return read(json, RuleStatus.class);
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a record of plain values always serialises", e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
