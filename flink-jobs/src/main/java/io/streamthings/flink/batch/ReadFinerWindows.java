package io.streamthings.flink.batch;

import io.streamthings.common.influx.WindowSeries;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.influxdb.InfluxDB;
import org.influxdb.impl.InfluxDBImpl;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Rolls up one target window (its start is the input): reads every window of the finer series inside it from
 * InfluxDB and combines them per series ({@link Rollups#combine}), emitting one rollup per series. One query per target
 * window keeps every answer small (an hour of minute windows, a day of hourly ones) and lets the slices run in
 * parallel.
 *
 * <p>Why the combination happens here and not in a keyed reduce after a shuffle: floating-point sums depend on their
 * order, and a reduce meets its inputs in whatever order the network delivers them, so a rerun could write a sum that
 * differs in the last bit. InfluxDB answers a series' rows in time order, so here every run adds them up in the same
 * order and a rerun writes the very same points (idempotence down to the bit). A target window is in one slice only, so
 * nothing is left to combine across slices.
 */
final class ReadFinerWindows extends RichFlatMapFunction<Long, RollupWindow> {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String database;
    private final WindowSeries target;
    private transient InfluxDB influx;

    ReadFinerWindows(String url, String database, WindowSeries target) {
        this.url = url;
        this.database = database;
        this.target = target;
    }

    @Override
    public void open(OpenContext context) {
        // MessagePack rather than JSON: an hour of minute windows of a large fleet is a large answer, and parsing it
        // dominated the run with JSON (InfluxDB 1.4 and later answer in MessagePack when asked).
        // (No user or password: the factory's overload with a response format insists on them.)
        influx = new InfluxDBImpl(url, null, null, new OkHttpClient.Builder().readTimeout(120, TimeUnit.SECONDS),
                InfluxDB.ResponseFormat.MSGPACK);
    }

    @Override
    public void flatMap(Long windowStart, Collector<RollupWindow> out) {
        String statement = Rollups.query(Rollups.sourceOf(target), windowStart, windowStart + target.windowMs());
        QueryResult result = influx.query(new Query(statement, database), TimeUnit.MILLISECONDS);
        // A database or policy that does not exist yet holds no windows: nothing to roll up. Any other error fails
        // the job rather than writing a rollup of part of the data.
        if (result.getError() != null) {
            if (isNotFound(result.getError())) {
                return;
            }
            throw new IllegalStateException("InfluxDB refused \"" + statement + "\": " + result.getError());
        }
        for (QueryResult.Result r : result.getResults()) {
            if (r.getError() != null) {
                if (isNotFound(r.getError())) {
                    continue;
                }
                throw new IllegalStateException("InfluxDB refused \"" + statement + "\": " + r.getError());
            }
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                RollupWindow rollup = null;
                for (List<Object> row : s.getValues()) {
                    RollupWindow w = Rollups.fromRow(target, s.getTags(), row);
                    if (w != null) {
                        rollup = rollup == null ? w : Rollups.combine(rollup, w);
                    }
                }
                if (rollup != null) {
                    out.collect(rollup);
                }
            }
        }
    }

    private static boolean isNotFound(String error) {
        return error.contains("not found");
    }

    @Override
    public void close() {
        if (influx != null) {
            influx.close();
        }
    }
}
