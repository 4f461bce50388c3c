package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an operation's params against its feature's JSON schema (draft 2020-12 unless the schema names another with
 * {@code $schema}). Compiled schemas are kept by their text, so a device type changed through the API takes effect at
 * once and an unchanged one is compiled once.
 */
final class ParamsValidator {

    private static final int MAX_CACHED = 1_000;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** The violations, each as {@code path: message}; empty when the params match. */
    List<String> violations(JsonNode schema, JsonNode params) {
        if (schema == null || schema.isNull() || schema.isEmpty()) {
            return List.of();
        }
        Schema s = compiled.get(schema.toString());
        if (s == null) {
            if (compiled.size() >= MAX_CACHED) {
                compiled.clear();
            }
            try {
                s = registry.getSchema(schema);
            } catch (RuntimeException e) {
                return List.of("the feature's params schema cannot be used: " + e.getMessage());
            }
            compiled.put(schema.toString(), s);
        }
        List<Error> errors = s.validate(params);
        return errors.stream().map(e -> {
            String at = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
            String message = e.getMessage();
            return message != null && message.startsWith(at) ? message : at + ": " + message;
        }).toList();
    }
}
