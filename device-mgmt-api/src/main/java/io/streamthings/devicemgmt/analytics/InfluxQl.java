package io.streamthings.devicemgmt.analytics;

/**
 * Quoting for InfluxQL text. Values that come from callers (tenant, device id, metric as a tag value) travel as bound
 * parameters ({@code $name} with the request's {@code params}); identifiers cannot be bound, so they are quoted here.
 * InfluxQL's scanner knows only the escapes {@code \\}, {@code \'}, {@code \"} and {@code \n} inside quotes, so
 * escaping those characters is enough to keep any input inside its quotes.
 */
public final class InfluxQl {

    private InfluxQl() {}

    /** A double-quoted identifier (measurement, retention policy, field or tag key), whatever its characters. */
    public static String identifier(String name) {
        return '"' + escape(name, '"') + '"';
    }

    /** A single-quoted string literal, whatever its characters. */
    public static String literal(String value) {
        return '\'' + escape(value, '\'') + '\'';
    }

    /** An epoch-milliseconds time literal, e.g. {@code 1764131000123ms}. */
    public static String time(long epochMs) {
        return epochMs + "ms";
    }

    /** An InfluxQL duration for a positive number of milliseconds, in the largest unit that divides it. */
    public static String duration(long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("a duration is positive, got " + ms + "ms");
        }
        long[] units = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    private static String escape(String s, char quote) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == quote) {
                b.append('\\').append(c);
            } else if (c == '\n') {
                // A raw newline ends a quoted token in InfluxQL ("bad string"); its escape keeps it inside.
                b.append("\\n");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
