package io.streamthings.devicemgmt.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The buckets of a series read in parts from several window series, one after the other in time, combined as the
 * readings themselves would be: the mean is total sum over total count, the count the sum of counts, min the least
 * min, max the greatest max, last the last of the latest part. A bucket split between two parts (a rollup ends inside
 * it) is thus the same as if one series had held all of it. Pure: fed the rows of {@link SeriesStatements#partials}.
 */
final class WindowBuckets {

    private final Map<Long, Bucket> buckets = new TreeMap<>();

    /**
     * Adds the rows of one part, {@code [time, sum, count, min, max, last]} each; parts must come oldest first, so that
     * a later part's last value wins a bucket they share.
     */
    WindowBuckets add(JsonNode rows) {
        for (JsonNode row : rows) {
            if (!row.path(2).isNumber() || row.path(2).asLong() == 0) {
                continue;
            }
            Bucket b = new Bucket(row.path(1).asDouble(), row.path(2).asLong(), row.path(3).asDouble(),
                    row.path(4).asDouble(), row.path(5).asDouble());
            buckets.merge(row.path(0).asLong(), b, Bucket::then);
        }
        return this;
    }

    /** One {@code [time, value]} point per bucket, oldest first; a count is a whole number. */
    List<List<Number>> points(Agg agg) {
        List<List<Number>> points = new ArrayList<>(buckets.size());
        buckets.forEach((time, b) -> points.add(List.of(time, switch (agg) {
            case MEAN -> b.sum / b.count;
            case MIN -> b.min;
            case MAX -> b.max;
            case LAST -> b.last;
            case COUNT -> b.count;
            case SUM -> b.sum;
        })));
        return points;
    }

    private record Bucket(double sum, long count, double min, double max, double last) {

        Bucket then(Bucket later) {
            return new Bucket(sum + later.sum, count + later.count, Math.min(min, later.min), Math.max(max, later.max),
                    later.last);
        }
    }
}
