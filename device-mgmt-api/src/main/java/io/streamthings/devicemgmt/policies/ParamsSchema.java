package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks params against a feature's JSON schema. The module has no JSON Schema library, so this covers the keywords
 * feature schemas use: {@code type} (one or a list), {@code properties}, {@code required}, {@code additionalProperties}
 * (boolean or schema), {@code enum}, {@code const}, {@code minimum}, {@code maximum}, {@code exclusiveMinimum},
 * {@code exclusiveMaximum}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code items}, {@code minItems},
 * {@code maxItems}. Other keywords are ignored (as a validator ignores unknown ones); a missing or empty schema accepts
 * anything.
 */
public final class ParamsSchema {

    private ParamsSchema() {}

    /** Every way {@code value} breaks {@code schema}, each prefixed with the JSON path under {@code path}. */
    public static List<String> problems(JsonNode schema, JsonNode value, String path) {
        List<String> problems = new ArrayList<>();
        check(schema, value, path, problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (schema == null || !schema.isObject() || schema.isEmpty()) {
            if (schema != null && schema.isBoolean() && !schema.asBoolean()) {
                out.add(path + ": not allowed");
            }
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            out.add(path + ": expected " + (type.isArray() ? join(type) : type.asText()) + ", got " + describe(value));
            return;
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray() && !contains(en, value)) {
            out.add(path + ": must be one of " + en);
        }
        JsonNode constant = schema.get("const");
        if (constant != null && !equal(constant, value)) {
            out.add(path + ": must be " + constant);
        }
        if (value.isNumber()) {
            numberBounds(schema, value.decimalValue().doubleValue(), path, out);
        }
        if (value.isTextual()) {
            textBounds(schema, value.asText(), path, out);
        }
        if (value.isArray()) {
            int size = value.size();
            if (schema.has("minItems") && size < schema.get("minItems").asInt()) {
                out.add(path + ": at least " + schema.get("minItems").asInt() + " items");
            }
            if (schema.has("maxItems") && size > schema.get("maxItems").asInt()) {
                out.add(path + ": at most " + schema.get("maxItems").asInt() + " items");
            }
            JsonNode items = schema.get("items");
            if (items != null && items.isObject()) {
                for (int i = 0; i < size; i++) {
                    check(items, value.get(i), path + "[" + i + "]", out);
                }
            }
        }
        if (value.isObject()) {
            objectRules(schema, value, path, out);
        }
    }

    private static void objectRules(JsonNode schema, JsonNode value, String path, List<String> out) {
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            for (JsonNode name : required) {
                if (!value.has(name.asText())) {
                    out.add(path + "." + name.asText() + ": required");
                }
            }
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "." + field.getKey();
            JsonNode sub = properties != null ? properties.get(field.getKey()) : null;
            if (sub != null) {
                check(sub, field.getValue(), fieldPath, out);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                out.add(fieldPath + ": unknown property");
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), fieldPath, out);
            }
        }
    }

    private static void numberBounds(JsonNode schema, double n, String path, List<String> out) {
        if (schema.has("minimum") && n < schema.get("minimum").asDouble()) {
            out.add(path + ": must be at least " + schema.get("minimum"));
        }
        if (schema.has("maximum") && n > schema.get("maximum").asDouble()) {
            out.add(path + ": must be at most " + schema.get("maximum"));
        }
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()
                && n <= schema.get("exclusiveMinimum").asDouble()) {
            out.add(path + ": must be above " + schema.get("exclusiveMinimum"));
        }
        if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()
                && n >= schema.get("exclusiveMaximum").asDouble()) {
            out.add(path + ": must be below " + schema.get("exclusiveMaximum"));
        }
    }

    private static void textBounds(JsonNode schema, String s, String path, List<String> out) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            out.add(path + ": at least " + schema.get("minLength").asInt() + " characters");
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            out.add(path + ": at most " + schema.get("maxLength").asInt() + " characters");
        }
        if (schema.has("pattern")) {
            try {
                if (!Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
                    out.add(path + ": must match " + schema.get("pattern").asText());
                }
            } catch (PatternSyntaxException e) {
                out.add(path + ": the feature's schema has a pattern that does not compile");
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (isType(t.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return isType(type.asText(), value);
    }

    private static boolean isType(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber()
                    || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode candidate : list) {
            if (equal(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality with 1 and 1.0 equal, as JSON Schema has it. */
    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            String s = v.asText();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (v.isContainerNode()) {
            return v.isObject() ? "an object" : "an array";
        }
        return v.toString();
    }

    private static String join(JsonNode types) {
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.asText()));
        return String.join(" or ", names);
    }
}
