package io.streamthings.devicemgmt.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** Phrases Jackson's failures for a client: the field and the problem, never class names or stack traces. */
public final class JsonErrors {

    private JsonErrors() {}

    /** A one-line message for the client. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String parent = path(unknown).replaceFirst("\\.?[^.\\[]*$", "");
            return "unknown field \"" + unknown.getPropertyName() + "\"" + (parent.isEmpty() ? "" : " in " + parent);
        }
        if (e instanceof InvalidFormatException invalid) {
            return path(invalid) + ": invalid value " + String.valueOf(invalid.getValue()).replaceAll("[\\r\\n]", " ");
        }
        if (e instanceof MismatchedInputException mismatched) {
            String where = path(mismatched);
            return where.isEmpty() ? "request body has the wrong JSON shape" : where + ": wrong JSON type";
        }
        if (e instanceof JsonParseException) {
            return "malformed JSON: " + firstLine(e.getOriginalMessage());
        }
        if (e instanceof JsonMappingException mapping) {
            return "invalid JSON" + at(mapping);
        }
        return "malformed JSON";
    }

    private static String at(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? "" : " at " + path;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
