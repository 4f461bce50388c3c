package io.streamthings.common.influx;

import java.text.NumberFormat;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes InfluxDB line protocol straight into a buffer, one point after the other, without building influxdb-java
 * {@code Point}s (a builder, two tree maps and boxed values per point) on the way. The text is the one
 * {@code Point.lineProtocol(TimeUnit.MILLISECONDS)} of influxdb-java 2.25 gives for the same point, byte for byte:
 * tags and fields sorted by key, a repeated key keeping its last value, empty tag values ignored, NaN and infinite
 * fields left out (a point left without fields is no line at all), keys escaped the same way, floats in plain decimal
 * notation and integers with {@code i}; the tests hold it to that.
 *
 * <p>Except where influxdb-java writes a line InfluxDB 1.x refuses or splits (and with it the whole batch): a newline
 * in a name or tag value ends the line, and a trailing backslash escapes the separator after it. InfluxDB 1.x line
 * protocol has no escape for either, so they are written as the nearest text that survives (see {@link #appendKey}).
 *
 * <p>Use: {@code point(measurement, timeMs)}, then tags and fields in any order, then {@link #end()}. Not thread-safe.
 */
public final class LineProtocol {

    private static final ThreadLocal<NumberFormat> PLAIN = ThreadLocal.withInitial(() -> {
        NumberFormat f = NumberFormat.getInstance(Locale.ENGLISH);
        f.setMaximumFractionDigits(340);
        f.setGroupingUsed(false);
        f.setMinimumFractionDigits(1);
        return f;
    });

    private final StringBuilder out;
    private int lines;

    private String measurement;
    private long time;
    private String[] tagKeys = new String[8];
    private String[] tagValues = new String[8];
    private int tags;
    private String[] fieldKeys = new String[16];
    private double[] doubles = new double[16];
    private long[] longs = new long[16];
    private boolean[] isLong = new boolean[16];
    private int fields;

    /** @param capacity initial buffer capacity, chars */
    public LineProtocol(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    /** Starts a point of {@code measurement} at {@code timeMs} (epoch ms; written with millisecond precision). */
    public LineProtocol point(String measurement, long timeMs) {
        this.measurement = measurement;
        this.time = timeMs;
        this.tags = 0;
        this.fields = 0;
        return this;
    }

    /** Adds a tag; an empty key or value is ignored (it does not replace an earlier value), as influxdb-java does. */
    public LineProtocol tag(String key, String value) {
        if (key.isEmpty() || value.isEmpty()) {
            return this;
        }
        int i = 0;
        while (i < tags && tagKeys[i].compareTo(key) < 0) {
            i++;
        }
        if (i < tags && tagKeys[i].equals(key)) {
            tagValues[i] = value;
            return this;
        }
        if (tags == tagKeys.length) {
            tagKeys = Arrays.copyOf(tagKeys, tags * 2);
            tagValues = Arrays.copyOf(tagValues, tags * 2);
        }
        System.arraycopy(tagKeys, i, tagKeys, i + 1, tags - i);
        System.arraycopy(tagValues, i, tagValues, i + 1, tags - i);
        tagKeys[i] = key;
        tagValues[i] = value;
        tags++;
        return this;
    }

    /** Adds a float field; NaN and infinities are left out, as influxdb-java does. */
    public LineProtocol field(String key, double value) {
        int i = fieldSlot(key);
        doubles[i] = value;
        isLong[i] = false;
        return this;
    }

    /** Adds an integer field. */
    public LineProtocol field(String key, long value) {
        int i = fieldSlot(key);
        longs[i] = value;
        isLong[i] = true;
        return this;
    }

    /** Writes the point as one line. */
    public void end() {
        int lineStart = out.length();
        escape(measurement);
        for (int i = 0; i < tags; i++) {
            out.append(',');
            escape(tagKeys[i]);
            out.append('=');
            escape(tagValues[i]);
        }
        out.append(' ');
        boolean any = false;
        for (int i = 0; i < fields; i++) {
            if (!isLong[i] && !Double.isFinite(doubles[i])) {
                continue;
            }
            if (any) {
                out.append(',');
            }
            escape(fieldKeys[i]);
            out.append('=');
            if (isLong[i]) {
                out.append(longs[i]).append('i');
            } else {
                appendDouble(doubles[i]);
            }
            any = true;
        }
        if (!any) {
            out.setLength(lineStart);
            return;
        }
        out.append(' ').append(time).append('\n');
        lines++;
    }

    /** Points written since the last {@link #take()}. */
    public int lines() {
        return lines;
    }

    /** True when no point is buffered. */
    public boolean isEmpty() {
        return lines == 0;
    }

    /** The buffered points, one per line, and empties the buffer. */
    public String take() {
        String text = out.toString();
        out.setLength(0);
        lines = 0;
        return text;
    }

    private int fieldSlot(String key) {
        int i = 0;
        while (i < fields && fieldKeys[i].compareTo(key) < 0) {
            i++;
        }
        if (i < fields && fieldKeys[i].equals(key)) {
            return i;
        }
        if (fields == fieldKeys.length) {
            int n = fields * 2;
            fieldKeys = Arrays.copyOf(fieldKeys, n);
            doubles = Arrays.copyOf(doubles, n);
            longs = Arrays.copyOf(longs, n);
            isLong = Arrays.copyOf(isLong, n);
        }
        System.arraycopy(fieldKeys, i, fieldKeys, i + 1, fields - i);
        System.arraycopy(doubles, i, doubles, i + 1, fields - i);
        System.arraycopy(longs, i, longs, i + 1, fields - i);
        System.arraycopy(isLong, i, isLong, i + 1, fields - i);
        fieldKeys[i] = key;
        fields++;
        return i;
    }

    private void appendDouble(double v) {
        double abs = Math.abs(v);
        if (abs >= 1e-3 && abs < 1e7) {
            // Double.toString is plain decimal in this range, with the same shortest digits as NumberFormat.
            out.append(v);
        } else {
            out.append(PLAIN.get().format(v));
        }
    }

    private void escape(String s) {
        appendKey(out, s);
    }

    /** The text a trailing backslash of a name or tag value is written as: U+FF3C, the fullwidth reverse solidus. */
    public static final char TRAILING_BACKSLASH = '\uFF3C';

    /**
     * Appends a measurement, tag key, tag value or field key as InfluxDB 1.x line protocol reads it back: a space,
     * comma or equals sign escaped with a backslash, any other backslash as it is (InfluxDB keeps it), a newline as the
     * two characters {@code \n} and a trailing backslash as {@link #TRAILING_BACKSLASH}. The last two have no escape
     * in InfluxDB 1.x: written as they are, the newline would split the line and the backslash would escape the
     * separator after it, and InfluxDB would refuse the whole batch.
     */
    public static void appendKey(StringBuilder out, String s) {
        int last = s.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = s.charAt(i);
            switch (c) {
                case ' ', ',', '=' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\\' -> out.append(i == last ? TRAILING_BACKSLASH : c);
                default -> out.append(c);
            }
        }
    }

    /** {@link #appendKey} into a new string. */
    public static String escapeKey(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        appendKey(out, s);
        return out.toString();
    }

    /**
     * Appends a string field value, quoted: a backslash and a double quote escaped with a backslash, everything else
     * as it is (a newline inside the quotes stays in the line); InfluxDB 1.x reads back the same text.
     */
    public static void appendFieldString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }
}
