package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One metric of one device over a time range.
 *
 * @param deviceId the device
 * @param metric the metric
 * @param interval {@code raw} for readings as stored, else the bucket of each point (e.g. {@code 1m}, {@code 1h})
 * @param agg how a bucket became a value: mean, min, max, last, count or sum (unused when interval is raw)
 * @param from start of the range, epoch ms, inclusive
 * @param to end of the range, epoch ms, inclusive
 * @param points {@code [ts, value]} pairs, oldest first; ts in epoch ms (a bucket's start when aggregated); never
 *     more than the maxPoints asked for
 */
@Schema(name = "Series")
public record SeriesView(String deviceId, String metric, String interval, String agg, long from, long to,
        @ArraySchema(schema = @Schema(description = "[ts, value]", type = "array")) List<List<Number>> points) {

    /** Copies the points. */
    public SeriesView {
        points = List.copyOf(points);
    }
}
