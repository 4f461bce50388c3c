package io.streamthings.common.telemetry;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The rules of the telemetry format that hold whatever the limits, and the wording of their messages. */
final class Rules {

    static final String METRICS = "metrics";
    static final String TAGS = "tags";

    /**
     * Tag keys that would pose as the stamped identity: InfluxDB stores the record's tags beside tenant, deviceType
     * and deviceId, and a device must not be able to write someone else's.
     */
    static final Set<String> RESERVED_TAG_KEYS = Set.of("tenant", "deviceType", "deviceId");

    /** How much of a bad value or name a message quotes, so that a 1 MiB string does not become a 1 MiB message. */
    private static final int SHOWN_CHARS = 64;

    private static final String NAME_ALPHABET = "may contain only A-Z, a-z, 0-9, '_', '.' and '-'";

    private Rules() {}

    /** The field path of a metric, e.g. {@code metrics.temperature}. */
    static String metricField(String name) {
        return METRICS + "." + shownName(name);
    }

    /** The field path of a tag, e.g. {@code tags.site}. */
    static String tagField(String key) {
        return TAGS + "." + shownName(key);
    }

    /** True for a character allowed in metric names and tag keys: {@code [A-Za-z0-9_.-]}. */
    static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-';
    }

    /**
     * Checks a metric name or tag key.
     *
     * @param parent {@code metrics} or {@code tags}
     * @param maxChars the longest name allowed
     */
    static void checkName(String parent, String name, int maxChars) {
        String what = parent.equals(METRICS) ? "metric name" : "tag key";
        if (name == null) {
            throw TelemetryValidationException.invalid(parent, what + " must not be null");
        }
        if (name.isEmpty()) {
            throw TelemetryValidationException.invalid(parent, what + " must not be empty");
        }
        // The field's name is only built for an error: this runs for every metric and tag of every record.
        if (name.length() > maxChars) {
            throw TelemetryValidationException.invalid(nameField(parent, name),
                    what + " is " + name.length() + " characters long, more than the limit of " + maxChars);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isNameChar(c)) {
                throw TelemetryValidationException.invalid(nameField(parent, name),
                        what + " " + NAME_ALPHABET + ", found " + shownChar(c) + " at index " + i);
            }
        }
        if (parent.equals(TAGS) && RESERVED_TAG_KEYS.contains(name)) {
            throw TelemetryValidationException.invalid(nameField(parent, name),
                    "reserved tag key: tenant, deviceType and deviceId come from the device's credentials");
        }
    }

    private static String nameField(String parent, String name) {
        return parent + "." + shownName(name);
    }

    /** Checks a tag value: not null, no longer than {@code maxChars} code points, well-formed Unicode. */
    static void checkTagValue(String key, String value, int maxChars) {
        if (value == null) {
            throw TelemetryValidationException.invalid(tagField(key), "expected a string, got null");
        }
        // Code points, not UTF-16 units: an emoji is one character to whoever wrote the tag.
        if (value.length() > maxChars && value.codePointCount(0, value.length()) > maxChars) {
            throw TelemetryValidationException.invalid(tagField(key), "value is "
                    + value.codePointCount(0, value.length()) + " characters long, more than the limit of " + maxChars);
        }
        int bad = unpairedSurrogate(value);
        if (bad >= 0) {
            // JSON escapes can carry half a surrogate pair; InfluxDB would store it as '?', so refuse it here.
            throw TelemetryValidationException.invalid(tagField(key),
                    "value is not valid Unicode: unpaired surrogate at index " + bad);
        }
    }

    /** Checks a metric value: not null, finite. */
    static void checkMetricValue(String name, Double value) {
        if (value == null) {
            throw TelemetryValidationException.invalid(metricField(name), "expected a number, got null");
        }
        if (!Double.isFinite(value)) {
            throw TelemetryValidationException.invalid(metricField(name), "expected a finite number, got " + value);
        }
    }

    /**
     * Validates and copies the metrics of a record built in code: the checks that hold whatever the limits. The
     * decoder has checked more by then; this keeps a record built by hand just as sound.
     */
    static Map<String, Double> copyMetrics(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            throw TelemetryValidationException.invalid(METRICS, "must contain at least one metric");
        }
        Map<String, Double> copy = new LinkedHashMap<>(capacity(metrics.size()));
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            checkName(METRICS, e.getKey(), Integer.MAX_VALUE);
            checkMetricValue(e.getKey(), e.getValue());
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Validates and copies tags, as {@link #copyMetrics} does metrics; null means no tags. */
    static Map<String, String> copyTags(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>(capacity(tags.size()));
        for (Map.Entry<String, String> e : tags.entrySet()) {
            checkName(TAGS, e.getKey(), Integer.MAX_VALUE);
            checkTagValue(e.getKey(), e.getValue(), Integer.MAX_VALUE);
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** A LinkedHashMap capacity that holds {@code size} entries without rehashing. */
    static int capacity(int size) {
        return size < 12 ? 16 : (int) (size / 0.75f) + 1;
    }

    /** Index of the first unpaired surrogate in {@code s}, or -1. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** A name as it appears in a field path: control characters escaped, cut short when long, {@code ""} if empty. */
    static String shownName(String name) {
        if (name.isEmpty()) {
            return "\"\"";
        }
        boolean plain = name.length() <= SHOWN_CHARS;
        for (int i = 0; plain && i < name.length(); i++) {
            plain = isNameChar(name.charAt(i));
        }
        return plain ? name : escape(cut(name));
    }

    /** A string as a JSON string literal for a message, cut short when long: {@code "hot"}. */
    static String quoted(String s) {
        return '"' + escape(cut(s)) + '"';
    }

    /** Raw JSON text for a message: whitespace runs folded, cut short when long. */
    static String shownJson(String json) {
        String folded = json.strip().replaceAll("\\s+", " ");
        return folded.length() <= SHOWN_CHARS ? folded : cut(folded);
    }

    private static String cut(String s) {
        if (s.length() <= SHOWN_CHARS) {
            return s;
        }
        int end = SHOWN_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    private static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    private static String shownChar(char c) {
        if (c == '\'') {
            return "\"'\"";
        }
        if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || Character.isWhitespace(c) && c != ' ') {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
