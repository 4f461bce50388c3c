package io.streamthings.flink.influx;

import io.streamthings.common.influx.LineProtocol;
import java.io.Serializable;

/**
 * Writes one stream element as zero or more InfluxDB points, in line protocol.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface LineMapper<T> extends Serializable {

    /** Writes the element's points to {@code out} ({@code point(...)}, tags, fields, {@code end()} per point). */
    void toLines(T element, LineProtocol out);
}
