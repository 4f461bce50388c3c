package io.streamthings.flink.influx;

import java.io.Serializable;
import java.util.function.Consumer;
import org.influxdb.dto.Point;

/**
 * Turns one stream element into zero or more InfluxDB points.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface PointMapper<T> extends Serializable {

    /** Passes the element's points to {@code out}. */
    void toPoints(T element, Consumer<Point> out);
}
