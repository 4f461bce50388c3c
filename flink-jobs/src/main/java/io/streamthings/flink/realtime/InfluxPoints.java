package io.streamthings.flink.realtime;

import io.streamthings.common.influx.LineProtocol;
import io.streamthings.common.influx.WindowSeries;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * Builds the InfluxDB points of the job. Every point is keyed by its series (measurement and tags) and a timestamp
 * derived from the data alone, never from the wall clock: writing the same input twice (a replay after a restore)
 * overwrites the same points instead of adding new ones.
 *
 * <p>Each point comes in two forms: as line protocol written straight into a {@link LineProtocol} buffer (what the
 * job's InfluxDB writers use), and as an influxdb-java {@link Point}; both give the same text (the tests check it).
 */
public final class InfluxPoints {

    /** Raw telemetry: tags tenant, deviceType, deviceId and the record's tags; one field per metric; time = ts. */
    public static final String RAW = "telemetry";
    /**
     * 1-minute aggregates: tags tenant, deviceType, deviceId, metric; fields count, min, max, sum, mean, last, lastTs,
     * p95, maxReceivedAt (latest ingest time of the window's readings, for latency measurement); time = window start.
     * The shape of every window series, the hourly and daily rollups too: {@link WindowSeries}.
     */
    public static final String AGG_1M = WindowSeries.MINUTE.measurement();
    /** Readings that came after their window closed: tags as {@link #AGG_1M}; fields value, receivedAt; time = ts. */
    public static final String LATE = "telemetry_late";

    private InfluxPoints() {
    }

    /** The raw point of a record. */
    public static Point raw(TelemetryEvent e) {
        Point.Builder b = Point.measurement(RAW)
                .time(e.ts(), TimeUnit.MILLISECONDS)
                .tag("tenant", e.tenant())
                .tag("deviceType", e.deviceType())
                .tag("deviceId", e.deviceId());
        for (int i = 0; i < e.tagKeys().length; i++) {
            b.tag(e.tagKeys()[i], e.tagValues()[i]);
        }
        for (int i = 0; i < e.metricNames().length; i++) {
            b.addField(e.metricNames()[i], e.metricValues()[i]);
        }
        return b.build();
    }

    /** The point of a window aggregate; a later firing of the same window overwrites it. */
    public static Point aggregate(WindowAggregate a) {
        return Point.measurement(AGG_1M)
                .time(a.windowStart(), TimeUnit.MILLISECONDS)
                .tag("tenant", a.tenant())
                .tag("deviceType", a.deviceType())
                .tag("deviceId", a.deviceId())
                .tag("metric", a.metric())
                .addField("count", a.count())
                .addField("min", a.min())
                .addField("max", a.max())
                .addField("sum", a.sum())
                .addField("mean", a.mean())
                .addField("last", a.last())
                .addField("lastTs", a.lastTs())
                .addField("p95", a.p95())
                .addField("maxReceivedAt", a.maxReceivedAt())
                .build();
    }

    /** The point of a reading that came too late for its window. */
    public static Point late(MetricSample s) {
        return Point.measurement(LATE)
                .time(s.ts(), TimeUnit.MILLISECONDS)
                .tag("tenant", s.tenant())
                .tag("deviceType", s.deviceType())
                .tag("deviceId", s.deviceId())
                .tag("metric", s.metric())
                .addField("value", s.value())
                .addField("receivedAt", s.receivedAt())
                .build();
    }

    /** Writes the raw point of a record (as {@link #raw(TelemetryEvent)}). */
    public static void raw(TelemetryEvent e, LineProtocol out) {
        out.point(RAW, e.ts())
                .tag("tenant", e.tenant())
                .tag("deviceType", e.deviceType())
                .tag("deviceId", e.deviceId());
        for (int i = 0; i < e.tagKeys().length; i++) {
            out.tag(e.tagKeys()[i], e.tagValues()[i]);
        }
        for (int i = 0; i < e.metricNames().length; i++) {
            out.field(e.metricNames()[i], e.metricValues()[i]);
        }
        out.end();
    }

    /** Writes the point of a window aggregate (as {@link #aggregate(WindowAggregate)}). */
    public static void aggregate(WindowAggregate a, LineProtocol out) {
        WindowSeries.MINUTE.write(a, out);
    }

    /** Writes the point of a reading that came too late for its window (as {@link #late(MetricSample)}). */
    public static void late(MetricSample s, LineProtocol out) {
        out.point(LATE, s.ts())
                .tag("tenant", s.tenant())
                .tag("deviceType", s.deviceType())
                .tag("deviceId", s.deviceId())
                .tag("metric", s.metric())
                .field("value", s.value())
                .field("receivedAt", s.receivedAt())
                .end();
    }
}
