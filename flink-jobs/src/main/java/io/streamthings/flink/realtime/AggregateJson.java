package io.streamthings.flink.realtime;

import java.nio.charset.StandardCharsets;

/**
 * The JSON the job writes to Kafka for window aggregates on {@code telemetry.agg} (device events go through the
 * codec of {@code device.events} in common).
 *
 * <p>Written by hand into a reusable buffer rather than through a Jackson generator per record (an aggregate is
 * written for every window of every series, and a generator with its buffers cost more than the text): the bytes are
 * those Jackson's default generator writes for the same fields, compact, numbers as {@link Long#toString} and
 * {@link Double#toString} (a non-finite double as a string, {@code "NaN"}), strings in UTF-8 with {@code "} and
 * {@code \} escaped, the control characters as {@code \n}, {@code \t}, ... or {@code \}{@code u00XX}, a character
 * beyond the BMP as its two escaped UTF-16 halves; the tests hold it to that.
 */
public final class AggregateJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private AggregateJson() {
    }

    /**
     * A window aggregate as compact JSON, e.g.
     * <pre>{"tenant":"acme","deviceType":"thermostat","deviceId":"t-17","metric":"temperature",
     * "windowStart":1764131040000,"windowEnd":1764131100000,"count":60,"min":20.5,"max":22.0,"sum":1290.0,
     * "mean":21.5,"last":21.7,"lastTs":1764131099000,"p95":21.9,"firing":0}</pre>
     */
    public static byte[] aggregate(WindowAggregate a) {
        return aggregate(a, new StringBuilder(320));
    }

    /** As {@link #aggregate(WindowAggregate)}, in {@code scratch} (cleared first), which a caller can reuse. */
    public static byte[] aggregate(WindowAggregate a, StringBuilder scratch) {
        StringBuilder out = scratch;
        out.setLength(0);
        out.append('{');
        string(out, "tenant", a.tenant()).append(',');
        string(out, "deviceType", a.deviceType()).append(',');
        string(out, "deviceId", a.deviceId()).append(',');
        string(out, "metric", a.metric()).append(',');
        out.append("\"windowStart\":").append(a.windowStart());
        out.append(",\"windowEnd\":").append(a.windowEnd());
        out.append(",\"count\":").append(a.count());
        number(out.append(",\"min\":"), a.min());
        number(out.append(",\"max\":"), a.max());
        number(out.append(",\"sum\":"), a.sum());
        number(out.append(",\"mean\":"), a.mean());
        number(out.append(",\"last\":"), a.last());
        out.append(",\"lastTs\":").append(a.lastTs());
        number(out.append(",\"p95\":"), a.p95());
        out.append(",\"firing\":").append(a.firing());
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder string(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\b' -> out.append("\\b");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\f' -> out.append("\\f");
                    case '\r' -> out.append("\\r");
                    default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else if (Character.isSurrogate(c)) {
                // As Jackson's UTF-8 generator by default: a character beyond the BMP as its two escaped halves.
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }

    private static void number(StringBuilder out, double value) {
        if (Double.isFinite(value)) {
            out.append(value); // the digits of Double.toString
        } else {
            out.append('"').append(value).append('"');
        }
    }
}
