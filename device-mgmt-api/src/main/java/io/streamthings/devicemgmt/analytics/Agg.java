package io.streamthings.devicemgmt.analytics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the points of a time bucket become one value; {@code agg} of the analytics API. */
public enum Agg {
    /** The mean of the readings (the default). */
    MEAN("mean", "sum(\"sum\") / sum(\"count\")"),
    /** The smallest reading. */
    MIN("min", "min(\"min\")"),
    /** The largest reading. */
    MAX("max", "max(\"max\")"),
    /** The latest reading. */
    LAST("last", "last(\"last\")"),
    /** How many readings. */
    COUNT("count", "sum(\"count\")"),
    /** The sum of the readings. */
    SUM("sum", "sum(\"sum\")");

    /** The accepted names, for messages. */
    public static final String NAMES = Arrays.stream(values()).map(Agg::apiName).collect(Collectors.joining(", "));

    private final String apiName;
    private final String overWindows;

    Agg(String apiName, String overWindows) {
        this.apiName = apiName;
        this.overWindows = overWindows;
    }

    /** The name in the API and in InfluxQL ({@code mean}, {@code min}, ...). */
    public String apiName() {
        return apiName;
    }

    /**
     * The InfluxQL expression over raw points of one field.
     *
     * @param field the field, already quoted with {@link InfluxQl#identifier}
     */
    public String overRaw(String field) {
        return apiName + "(" + field + ")";
    }

    /**
     * The InfluxQL expression over the windows of a window series ({@code telemetry_1m}, {@code telemetry_1h},
     * {@code telemetry_1d}: one shape). Why not {@code mean("mean")}: a mean of means weighs a window of 1 reading like
     * one of 3,600, so the mean is total sum over total count instead; a count is the sum of the windows' counts, min
     * the least min, max the greatest max, last the last of the latest window.
     */
    public String overWindows() {
        return overWindows;
    }

    /**
     * Parses the API's name; null means the default, mean.
     *
     * @throws IllegalArgumentException naming the accepted values, on anything else
     */
    public static Agg parse(String value) {
        if (value == null || value.isBlank()) {
            return MEAN;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Agg a : values()) {
            if (a.apiName.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException("agg: expected one of " + NAMES + ", got " + value);
    }
}
