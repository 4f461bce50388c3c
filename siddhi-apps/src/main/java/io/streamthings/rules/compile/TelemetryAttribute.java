package io.streamthings.rules.compile;

import java.util.Objects;

/**
 * One attribute a rule app declares on {@code TelemetryStream}, and where its value comes from in a telemetry record.
 *
 * @param name the attribute name as declared (for a tag or a metric, its key in the record)
 * @param kind where the value comes from
 */
public record TelemetryAttribute(String name, Kind kind) {

    /** Where the value of a {@code TelemetryStream} attribute comes from. */
    public enum Kind {
        /** {@code deviceId string}: the id of the device that sent the record. */
        DEVICE_ID,
        /** {@code deviceType string}: the name of the device's type. */
        DEVICE_TYPE,
        /** {@code ts long}: the record's time, epoch milliseconds. */
        TS,
        /** Any other {@code string}: the tag of that name, null when the record has none. */
        TAG,
        /** Any {@code double}: the metric of that name; a record without it is not sent to the app. */
        METRIC
    }

    /** @throws NullPointerException when name or kind is null */
    public TelemetryAttribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
