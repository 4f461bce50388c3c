package io.streamthings.ingest.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parser of InfluxDB line protocol, so that Telegraf and other agents can send as they are:
 *
 * <pre>measurement[,tag=value...] field=value[,field=value...] [timestamp]</pre>
 *
 * <p>Field values: floats ({@code 21.5}, {@code -1e3}), integers ({@code 42i}), unsigned integers ({@code 42u}) and
 * booleans ({@code t}, {@code true}, {@code F}, ...; taken as 1 and 0). String fields ({@code "text"}) are refused:
 * telemetry metrics are numbers. Escapes follow InfluxDB: {@code \,} {@code \ } in measurements, also {@code \=} in
 * tag keys, tag values and field keys. Blank lines and {@code #} comments are skipped. Each line is parsed alone, so
 * one bad line costs only itself.
 */
public final class LineProtocol {

    /** Timestamp units, as InfluxDB's {@code precision} query parameter names them. */
    public enum Precision {
        NS, US, MS, S;

        /**
         * The precision of a query parameter value ({@code ns}, {@code us}/{@code u}, {@code ms}, {@code s}); null or
         * empty is nanoseconds, as in InfluxDB.
         *
         * @throws IllegalArgumentException for any other value
         */
        public static Precision parse(String value) {
            if (value == null || value.isEmpty()) {
                return NS;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "ns", "n" -> NS;
                case "us", "u" -> US;
                case "ms" -> MS;
                case "s" -> S;
                default -> throw new IllegalArgumentException(
                        "precision must be ns, us, ms or s, got \"" + value + "\"");
            };
        }

        /** The timestamp in epoch milliseconds. */
        long toMillis(long value) {
            return switch (this) {
                case NS -> Math.floorDiv(value, 1_000_000L);
                case US -> Math.floorDiv(value, 1_000L);
                case MS -> value;
                case S -> Math.multiplyExact(value, 1_000L);
            };
        }
    }

    /**
     * One parsed line.
     *
     * @param measurement the measurement name
     * @param tags tag key to value, in line order
     * @param fields field key to numeric value, in line order
     * @param timestampMs epoch ms, or null when the line has no timestamp
     */
    public record Point(String measurement, Map<String, String> tags, Map<String, Double> fields, Long timestampMs) {}

    /**
     * The outcome of one line: a point, or an error.
     *
     * @param lineNumber 1-based line number in the body
     * @param text the line as sent
     * @param point the point, or null
     * @param error why the line was refused, or null
     */
    public record Line(int lineNumber, String text, Point point, String error) {

        public boolean ok() {
            return point != null;
        }
    }

    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private LineProtocol() {}

    /** Parses every non-blank, non-comment line of a body. */
    public static List<Line> parse(String body, Precision precision) {
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                end = body.length();
            }
            number++;
            String text = body.substring(start, end);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            String trimmed = text.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                lines.add(parseLine(number, trimmed, precision));
            }
            start = end + 1;
        }
        return lines;
    }

    /** Parses one line. */
    public static Line parseLine(int number, String text, Precision precision) {
        try {
            return new Line(number, text, new Parser(text, precision).point(), null);
        } catch (IllegalArgumentException e) {
            return new Line(number, text, null, "line " + number + ": " + e.getMessage());
        }
    }

    /** A cursor over one line. */
    private static final class Parser {
        private final String s;
        private final Precision precision;
        private int pos;

        Parser(String s, Precision precision) {
            this.s = s;
            this.precision = precision;
        }

        Point point() {
            String measurement = token(", ", false);
            if (measurement.isEmpty()) {
                throw new IllegalArgumentException("missing measurement");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            while (peek() == ',') {
                pos++;
                String key = token(",= ", true);
                expect('=', "tag " + key + " has no value");
                String value = token(", ", true);
                if (key.isEmpty() || value.isEmpty()) {
                    throw new IllegalArgumentException("empty tag key or value");
                }
                tags.put(key, value);
            }
            expect(' ', "missing fields");
            Map<String, Double> fields = new LinkedHashMap<>();
            do {
                if (peek() == ',') {
                    pos++;
                }
                String key = token(",= ", true);
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("empty field key");
                }
                expect('=', "field " + key + " has no value");
                fields.put(key, fieldValue(key));
            } while (peek() == ',');
            Long timestamp = null;
            if (peek() == ' ') {
                while (peek() == ' ') {
                    pos++;
                }
                String ts = s.substring(pos);
                if (!INTEGER.matcher(ts).matches()) {
                    throw new IllegalArgumentException("bad timestamp \"" + ts + "\"");
                }
                try {
                    timestamp = precision.toMillis(Long.parseLong(ts));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("timestamp out of range \"" + ts + "\"");
                }
                pos = s.length();
            }
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected text at column " + (pos + 1));
            }
            return new Point(measurement, tags, fields, timestamp);
        }

        private double fieldValue(String key) {
            if (peek() == '"') {
                skipString();
                throw new IllegalArgumentException("field " + key + " is a string; only numbers and booleans are "
                        + "accepted as telemetry metrics");
            }
            int begin = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ' ') {
                pos++;
            }
            String v = s.substring(begin, pos);
            switch (v) {
                case "t", "T", "true", "True", "TRUE":
                    return 1.0;
                case "f", "F", "false", "False", "FALSE":
                    return 0.0;
                default:
                    break;
            }
            if (v.endsWith("i") || v.endsWith("u")) {
                String digits = v.substring(0, v.length() - 1);
                if (!INTEGER.matcher(digits).matches() || (v.endsWith("u") && digits.startsWith("-"))) {
                    throw new IllegalArgumentException("field " + key + ": bad integer \"" + v + "\"");
                }
                return Double.parseDouble(digits);
            }
            if (!FLOAT.matcher(v).matches()) {
                throw new IllegalArgumentException("field " + key + ": bad value \"" + v + "\"");
            }
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("field " + key + ": value out of range \"" + v + "\"");
            }
            return d;
        }

        private void skipString() {
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    pos++;
                } else if (c == '"') {
                    return;
                }
            }
            throw new IllegalArgumentException("unterminated string field");
        }

        /** Reads up to an unescaped stop character; {@code \} escapes a stop character (and {@code =}, {@code \}). */
        private String token(String stops, boolean equalsEscapable) {
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length()) {
                    char next = s.charAt(pos + 1);
                    if (stops.indexOf(next) >= 0 || next == '\\' || (equalsEscapable && next == '=')) {
                        b.append(next);
                        pos += 2;
                        continue;
                    }
                }
                if (stops.indexOf(c) >= 0) {
                    break;
                }
                b.append(c);
                pos++;
            }
            return b.toString();
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c, String message) {
            if (peek() != c) {
                throw new IllegalArgumentException(message);
            }
            pos++;
        }
    }
}
